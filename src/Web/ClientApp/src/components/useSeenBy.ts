import { useEffect, useState } from 'preact/hooks';
import { seenByColleagues, seenText, waitingPatientMessage } from '../logic/seen';
import type { Message } from '../types';

/** What to say under which message: "Seen by Frank 2 min ago" after the message with seq afterSeq. */
export interface SeenByLine {
  afterSeq: number;
  text: string;
}

/**
 * Staff: "Seen by Frank 2 min ago" under a patient's message that waits for the team, from its read-by list (the page's,
 * extended by the colleagues' reads pushed since); the words age every half minute. Null when there is nothing to say
 * (or for a patient).
 */
export function useSeenBy(messages: readonly Message[], myUserId: string, enabled: boolean): SeenByLine | null {
  const [now, setNow] = useState(() => new Date());

  useEffect(() => {
    if (!enabled) {
      return;
    }
    const timer = window.setInterval(() => setNow(new Date()), 30_000);
    return () => window.clearInterval(timer);
  }, [enabled]);

  if (!enabled) {
    return null;
  }
  const seen = seenByColleagues(messages, myUserId);
  const waiting = waitingPatientMessage(messages);
  return seen.length === 0 || !waiting ? null : { afterSeq: waiting.seq, text: seenText(seen, now) };
}
