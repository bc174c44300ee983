import { useEffect, useState } from 'preact/hooks';
import type { PushBus } from '../logic/pushes';
import { seenByColleagues, seenFromPush, seenText, waitingPatientMessage, type Seen } from '../logic/seen';
import type { Message } from '../types';

/** What to say under which message: "Seen by Frank 2 min ago" after the message with seq afterSeq. */
export interface SeenByLine {
  afterSeq: number;
  text: string;
}

/**
 * Staff: "Seen by Frank 2 min ago" under a patient's message that waits for the team, from the page's read-by list and
 * the colleagues' reads pushed since; the words age every half minute. Null when there is nothing to say (or for a patient).
 */
export function useSeenBy(bus: PushBus, conversationId: string, messages: readonly Message[], myUserId: string, enabled: boolean): SeenByLine | null {
  const [live, setLive] = useState<Seen[]>([]);
  const [now, setNow] = useState(() => new Date());

  useEffect(() => {
    setLive([]);
    if (!enabled) {
      return;
    }
    const off = bus.onReceipts((update) => {
      const seen = seenFromPush(update, conversationId, new Date());
      if (seen && seen.readerId !== myUserId) {
        setLive((current) => [...current.filter((s) => s.readerId !== seen.readerId), seen]);
      }
    });
    const timer = window.setInterval(() => setNow(new Date()), 30_000);
    return () => {
      off();
      window.clearInterval(timer);
    };
  }, [bus, conversationId, myUserId, enabled]);

  if (!enabled) {
    return null;
  }
  const seen = seenByColleagues(messages, myUserId, live);
  const waiting = waitingPatientMessage(messages);
  return seen.length === 0 || !waiting ? null : { afterSeq: waiting.seq, text: seenText(seen, now) };
}
