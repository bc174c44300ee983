import type { OfficeHours } from '../types';
import { nextChangeAt } from './hoursNotice';

interface Entry {
  answer: Promise<OfficeHours>;
  /** Until when the answer holds: freshForMs after it was asked, or the clinic's next opening or closing if sooner. */
  staleAt: number;
}

/** How long a clinic's answer is kept, and so how soon hours the clinic changes reach a patient's open thread. */
export const OFFICE_HOURS_FRESH_MS = 5 * 60_000;

/**
 * A patient's clinics' office hours, asked for when a thread opens and kept a few minutes per clinic, so that moving
 * between threads does not ask again. An answer says "open until 18:00": it is not kept past 18:00, whatever the
 * minutes. Memory only; a failure is not kept (the next thread open asks again).
 */
export class OfficeHoursCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly fetch: (clinicId: string) => Promise<OfficeHours>,
    private readonly now: () => number = () => Date.now(),
    private readonly freshForMs = OFFICE_HOURS_FRESH_MS,
  ) {}

  get(clinicId: string): Promise<OfficeHours> {
    const now = this.now();
    const known = this.entries.get(clinicId);
    if (known && now < known.staleAt) {
      return known.answer;
    }
    const answer = this.fetch(clinicId);
    const entry: Entry = { answer, staleAt: now + this.freshForMs };
    this.entries.set(clinicId, entry);
    answer.then(
      (hours) => {
        const change = nextChangeAt(hours);
        entry.staleAt = Math.min(entry.staleAt, change ?? Number.POSITIVE_INFINITY);
      },
      () => {
        if (this.entries.get(clinicId) === entry) {
          this.entries.delete(clinicId);
        }
      },
    );
    return answer;
  }
}
