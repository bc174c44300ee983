import { useEffect, useState } from 'preact/hooks';
import { hoursNotice, recheckInMs } from '../logic/hoursNotice';
import { OFFICE_HOURS_FRESH_MS, type OfficeHoursCache } from '../logic/officeHoursCache';
import type { OfficeHours } from '../types';

/**
 * Above a patient's message box: whether the clinic is open now and until or from when, its week behind "Hours", and its
 * emergency note, before they write. Asked for when the thread opens, again just after the clinic opens or closes, when
 * the answer is no longer fresh (what the clinic changed meanwhile shows within that), and when the tab is shown again
 * (a phone's hidden tab runs no timers); nothing shows while it loads, if it fails (writing works without it), or when the
 * clinic keeps no hours and no note.
 */
export function ClinicHoursNotice({ clinicId, cache }: { clinicId: string; cache: OfficeHoursCache }) {
  const [hours, setHours] = useState<OfficeHours | null>(null);
  /** Bumped when the clinic opens or closes, to ask again. */
  const [round, setRound] = useState(0);

  useEffect(() => {
    let current = true;
    let timer: number | undefined;
    cache.get(clinicId).then(
      (answer) => {
        if (!current) {
          return;
        }
        setHours(answer);
        timer = window.setTimeout(() => setRound((n) => n + 1), recheckInMs(answer, Date.now(), OFFICE_HOURS_FRESH_MS));
      },
      () => undefined,
    );
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [clinicId, cache, round]);

  useEffect(() => {
    // The cache answers a fresh question itself: only a stale one reaches the server.
    const shown = () => document.visibilityState === 'visible' && setRound((n) => n + 1);
    document.addEventListener('visibilitychange', shown);
    return () => document.removeEventListener('visibilitychange', shown);
  }, []);

  const notice = hours ? hoursNotice(hours, new Date()) : null;
  if (!notice) {
    return null;
  }
  return (
    <div class={notice.closed ? 'hours-notice closed' : 'hours-notice'}>
      {notice.state && (
        <div class="hours-line">
          <p class="hours-state">{notice.state}</p>
          <details class="hours-week">
            <summary>Hours</summary>
            <p class="hours-zone">Times in {notice.timeZone}, the clinic’s time zone.</p>
            <dl class="hours-days">
              {notice.week.map((day) => (
                <div key={day.day}>
                  <dt>{day.day}</dt>
                  <dd>{day.hours}</dd>
                </div>
              ))}
            </dl>
            {notice.closures.length > 0 && (
              <>
                <p class="hours-closures-title">Also closed</p>
                <ul class="hours-closures">
                  {notice.closures.map((closure) => (
                    <li key={closure}>{closure}</li>
                  ))}
                </ul>
              </>
            )}
          </details>
        </div>
      )}
      {notice.emergencyNote && (
        <p class="hours-emergency" role="note">
          {notice.emergencyNote}
        </p>
      )}
    </div>
  );
}
