import type { PatientRecord } from '../types';

/** Fetches a record as it is now; resolves null when the caller may not see it (404), rejects on anything transient. */
export type FetchRecord = (recordId: string) => Promise<PatientRecord | null>;

interface Entry {
  /** Bumped by every fetch, so that an answer overtaken by a newer fetch is dropped. */
  generation: number;
  current: PatientRecord | null;
  /** The server said 404: the cards keep showing what was sent. */
  gone: boolean;
  /** The last fetch failed for a transient reason: the next card to show it tries again. */
  failed: boolean;
}

/**
 * The current state of the records that cards refer to, fetched once per record and kept in memory
 * for the session (never in storage: it is patient data). A push that a record changed, or a
 * reconnect after which pushes may have been missed, fetches the shown ones again.
 */
export class RecordCache {
  private readonly entries = new Map<string, Entry>();
  private readonly watchers = new Map<string, Set<() => void>>();

  constructor(private readonly fetchCurrent: FetchRecord) {}

  /** The record as it is now, or null while unknown (the card shows the snapshot meanwhile). */
  current(recordId: string): PatientRecord | null {
    return this.entries.get(recordId)?.current ?? null;
  }

  /** Whether the record can no longer be seen (404). */
  isGone(recordId: string): boolean {
    return this.entries.get(recordId)?.gone ?? false;
  }

  /** Calls back whenever what is known of the record changes; fetches it if nothing is known yet. */
  watch(recordId: string, onChange: () => void): () => void {
    let set = this.watchers.get(recordId);
    if (!set) {
      set = new Set();
      this.watchers.set(recordId, set);
    }
    set.add(onChange);
    const entry = this.entries.get(recordId);
    if (!entry || entry.failed) {
      this.fetch(recordId);
    }
    return () => {
      set.delete(onChange);
      if (set.size === 0) {
        this.watchers.delete(recordId);
      }
    };
  }

  /** Takes records fetched by another route (the palette's list) as current, unless a newer version is known. */
  prime(record: PatientRecord): void {
    const entry = this.entries.get(record.id);
    if (entry?.current && entry.current.version >= record.version) {
      return;
    }
    this.entries.set(record.id, { generation: entry?.generation ?? 0, current: record, gone: false, failed: false });
    this.notify(record.id);
  }

  /** The hub says the record is now at `version`: refetch it if a card shows it, else forget it so the next card fetches. */
  updated(recordId: string, version: number): void {
    const entry = this.entries.get(recordId);
    if (!entry || (entry.current && entry.current.version >= version)) {
      return;
    }
    if (this.watchers.has(recordId)) {
      this.fetch(recordId);
    } else {
      this.entries.delete(recordId);
    }
  }

  /** After a (re)connect pushes may have been missed: refetch what is shown, forget the rest. */
  refreshAll(): void {
    for (const recordId of [...this.entries.keys()]) {
      if (this.watchers.has(recordId)) {
        this.fetch(recordId);
      } else {
        this.entries.delete(recordId);
      }
    }
  }

  private fetch(recordId: string): void {
    const previous = this.entries.get(recordId);
    const generation = (previous?.generation ?? 0) + 1;
    // What was current stays shown until the new answer arrives.
    this.entries.set(recordId, { generation, current: previous?.current ?? null, gone: previous?.gone ?? false, failed: false });
    const settle = (change: Partial<Entry>) => {
      const entry = this.entries.get(recordId);
      if (entry?.generation === generation) {
        this.entries.set(recordId, { ...entry, ...change });
        this.notify(recordId);
      }
    };
    this.fetchCurrent(recordId).then(
      (current) => {
        // Versions only grow: an answer older than what is known (primed meanwhile) changes nothing.
        const known = this.entries.get(recordId)?.current;
        settle(!current ? { current: null, gone: true } : known && known.version > current.version ? {} : { current, gone: false });
      },
      () => settle({ failed: true }),
    );
  }

  private notify(recordId: string): void {
    this.watchers.get(recordId)?.forEach((onChange) => onChange());
  }
}
