import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import type { ConnectionState } from '../logic/connection';
import { newClientMessageId } from '../logic/messages';
import { Outbox, type OutboxItem } from '../logic/outbox';
import { browserLocks, OutboxSender } from '../logic/outboxSender';
import type { Message } from '../types';

interface Options {
  userId: string;
  conversationId: string;
  /** This app's connection: when it comes back, what waited goes out at once. */
  connection: ConnectionState;
  /** The server stored one of this thread's messages (the answer to a send). */
  onStored: (message: Message) => void;
}

/**
 * The open thread's outbox: what the user sent that the server has not confirmed yet, kept across
 * reloads and retried with its original client id until the server answers (see OutboxSender).
 */
export function useOutboxDelivery({ userId, conversationId, connection, onStored }: Options) {
  const outbox = useMemo(() => new Outbox(window.localStorage, `clinicchat.outbox.${userId}`), [userId]);
  const [pending, setPending] = useState<OutboxItem[]>(() => outbox.forConversation(conversationId));
  const refreshPending = useCallback(() => setPending(outbox.forConversation(conversationId)), [outbox, conversationId]);
  const onStoredRef = useRef(onStored);
  onStoredRef.current = onStored;
  const [sender, setSender] = useState<OutboxSender<Message> | null>(null);
  const senderRef = useRef(sender);
  senderRef.current = sender;

  // One sender per open thread: it sends the queue in order, one message at a time, and holds a lock
  // (per user and thread) that other tabs share, so a reload or a second tab cannot reorder it.
  useEffect(() => {
    const next = new OutboxSender<Message>({
      outbox,
      conversationId,
      send: (item) => api.send(item.conversationId, item.clientMessageId, item.text, item.attachmentIds ?? [], item.recordIds ?? [], item.sensitive ?? false),
      lockName: `clinicchat.outbox.${userId}.${conversationId}`,
      exclusive: browserLocks,
      changed: (sent) => {
        const stored = sent?.stored;
        if (stored && stored.conversationId === conversationId) {
          onStoredRef.current(stored);
        }
        refreshPending();
      },
      failureText: (caught) => (caught instanceof ApiError ? failureText(caught) : String(caught)),
    });
    setSender(next);
    // Messages left unsent by an earlier visit or a reload go out now, oldest first.
    next.kick();
    return () => next.dispose();
  }, [outbox, conversationId, userId, refreshPending]);

  useEffect(refreshPending, [refreshPending]);

  // Back online: send what waited at once instead of at the next back-off step.
  useEffect(() => {
    const onOnline = () => senderRef.current?.kick();
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, []);

  // The push connection is back (perhaps without the browser ever saying "offline"): send what waited.
  useEffect(() => {
    if (connection === 'online') {
      senderRef.current?.kick();
    }
  }, [connection]);

  const send = (text: string, attachmentIds: string[], recordIds: string[], sensitive: boolean) => {
    outbox.add({
      clientMessageId: newClientMessageId(),
      conversationId,
      text,
      attachmentIds,
      recordIds,
      sensitive,
      createdAt: new Date().toISOString(),
      failure: null,
    });
    refreshPending();
    sender?.kick();
  };

  const retry = (item: OutboxItem) => {
    outbox.retry(item.clientMessageId);
    refreshPending();
    sender?.kick();
  };

  const discard = (item: OutboxItem) => {
    outbox.remove(item.clientMessageId);
    refreshPending();
  };

  return { pending, send, retry, discard };
}

function failureText(error: ApiError): string {
  switch (error.code) {
    case 'patient_opted_out':
      return 'the patient has opted out of chat; nothing was delivered.';
    case 'patient_has_no_portal_account':
      return 'the patient has no portal account; offer SMS instead.';
    case 'record_withdrawn':
      return 'a card’s record was withdrawn by the clinic’s system (entered in error); discard this message and send it without that card.';
    default:
      return error.message;
  }
}
