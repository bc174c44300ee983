import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { ThreadHistory } from '../logic/history';
import type { PushBus } from '../logic/pushes';
import type { Acknowledger } from '../logic/receipts';
import type { UserKind } from '../types';

interface Options {
  conversationId: string;
  viewer: UserKind;
  bus: PushBus;
  acknowledger: Acknowledger;
  onRead: (threadId: string) => void;
  /** Patients: until when sensitive messages are shown (null: closed). Staff: null. */
  sensitiveUntil: string | null;
  /** Whether the list shows its newest message (not scrolled up away from it): only then does it count as read. */
  atNewest: () => boolean;
}

/**
 * One open thread's history (see ThreadHistory), fed by the push bus and rendered on each change.
 * A new thread id starts a fresh history; the old one's late answers are dropped.
 */
export function useThreadHistory({ conversationId, viewer, bus, acknowledger, onRead, sensitiveUntil, atNewest }: Options) {
  const [, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const untilRef = useRef(sensitiveUntil);
  untilRef.current = sensitiveUntil;
  const onReadRef = useRef(onRead);
  onReadRef.current = onRead;
  const atNewestRef = useRef(atNewest);
  atNewestRef.current = atNewest;

  const history = useMemo(
    () =>
      new ThreadHistory({
        conversationId,
        viewer,
        fetchPage: (query) => api.messages(conversationId, query),
        acknowledgeRead: (upToSeq) => {
          acknowledger.read(conversationId, upToSeq);
          onReadRef.current(conversationId);
        },
        outOfSight: () => document.hidden || !atNewestRef.current(),
        sensitiveUntil: () => untilRef.current,
        changed: () => setVersion((v) => v + 1),
      }),
    [conversationId, viewer, acknowledger],
  );

  useEffect(() => {
    setError(null);
    void history.catchUp().catch(() => setError('Could not load this conversation.'));
    return () => history.dispose();
  }, [history]);

  useEffect(() => {
    const offMessage = bus.onMessage((message) => history.pushed(message));
    const offReceipts = bus.onReceipts((update) => history.receiptsPushed(update));
    const offStaffItems = bus.onStaffItem((push) => history.staffItemPushed(push.item));
    const offWithdrawn = bus.onWithdrawn((id, seq) => id === conversationId && void history.refetch(seq - 1).catch(() => undefined));
    const offResync = bus.onResync((afterGap) => void (afterGap ? history.resynced() : history.catchUp()).catch(() => undefined));
    const onVisible = () => !document.hidden && history.markRead();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      offMessage();
      offReceipts();
      offStaffItems();
      offWithdrawn();
      offResync();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [bus, history, conversationId]);

  useEffect(() => {
    void history.sensitiveWindowChanged()?.catch(() => setError('Could not refresh this conversation.'));
  }, [sensitiveUntil, history]);

  return { history, messages: history.messages, staffItems: history.staffItems, recipients: history.recipients, hasOlder: history.hasOlder, error };
}
