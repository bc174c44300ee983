import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { clockTime } from '../logic/format';
import { gapAfter, groupByDay, mergeMessages, newClientMessageId } from '../logic/messages';
import type { PushBus } from '../logic/pushes';
import type { Me, Message, Thread } from '../types';
import { Composer } from './Composer';

interface Props {
  me: Me;
  thread: Thread;
  title: string;
  bus: PushBus;
  /** Why the composer is off (for example, the patient opted out), or null. */
  blockedReason: string | null;
  onRead: (threadId: string) => void;
  onBack?: () => void;
}

const pageSize = 50;

/** One conversation: history paged by seq, live pushes merged by seq, and the composer. */
export function ThreadView({ me, thread, title, bus, blockedReason, onRead, onBack }: Props) {
  const [messages, setMessages] = useState<Message[]>([]);
  const [hasOlder, setHasOlder] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const messagesRef = useRef(messages);
  messagesRef.current = messages;
  const lastReadSent = useRef(0);

  const markRead = useCallback(
    (list: readonly Message[]) => {
      const last = list[list.length - 1]?.seq ?? 0;
      if (last > lastReadSent.current && !document.hidden) {
        lastReadSent.current = last;
        void api.markRead(thread.id, last).then(() => onRead(thread.id), () => undefined);
      }
    },
    [thread.id, onRead],
  );

  const catchUp = useCallback(async () => {
    const current = messagesRef.current;
    const after = current[current.length - 1]?.seq;
    const page = after === undefined ? await api.messages(thread.id, { limit: pageSize }) : await api.messages(thread.id, { afterSeq: after, limit: 200 });
    if (after === undefined) {
      setHasOlder(page.hasMore);
    }
    const merged = mergeMessages(messagesRef.current, page.messages);
    setMessages(merged);
    markRead(merged);
  }, [thread.id, markRead]);

  useEffect(() => {
    setMessages([]);
    messagesRef.current = [];
    lastReadSent.current = 0;
    stickToBottom.current = true;
    setError(null);
    void catchUp().catch(() => setError('Could not load this conversation.'));
  }, [thread.id, catchUp]);

  useEffect(() => {
    const offMessage = bus.onMessage((message) => {
      if (message.conversationId !== thread.id) {
        return;
      }
      if (gapAfter(messagesRef.current, message) !== null) {
        void catchUp();
        return;
      }
      const merged = mergeMessages(messagesRef.current, [message]);
      setMessages(merged);
      markRead(merged);
    });
    const offResync = bus.onResync(() => void catchUp());
    const onVisible = () => !document.hidden && markRead(messagesRef.current);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      offMessage();
      offResync();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [bus, thread.id, catchUp, markRead]);

  useLayoutEffect(() => {
    const list = listRef.current;
    if (list && stickToBottom.current) {
      list.scrollTop = list.scrollHeight;
    }
  }, [messages]);

  const loadOlder = async () => {
    const first = messagesRef.current[0]?.seq;
    if (!hasOlder || first === undefined) {
      return;
    }
    const list = listRef.current;
    const fromBottom = list ? list.scrollHeight - list.scrollTop : 0;
    const page = await api.messages(thread.id, { beforeSeq: first, limit: pageSize });
    setHasOlder(page.hasMore);
    stickToBottom.current = false;
    setMessages(mergeMessages(messagesRef.current, page.messages));
    requestAnimationFrame(() => {
      if (list) {
        list.scrollTop = list.scrollHeight - fromBottom;
      }
    });
  };

  const onScroll = (event: Event) => {
    const list = event.currentTarget as HTMLDivElement;
    stickToBottom.current = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    if (list.scrollTop < 40) {
      void loadOlder();
    }
  };

  const send = async (text: string) => {
    const clientMessageId = newClientMessageId();
    try {
      const stored = await api.send(thread.id, clientMessageId, text);
      stickToBottom.current = true;
      setMessages(mergeMessages(messagesRef.current, [stored]));
      return null;
    } catch (caught) {
      if (caught instanceof ApiError) {
        if (caught.code === 'patient_opted_out') {
          return 'The patient has opted out of chat. Nothing was delivered.';
        }
        if (caught.code === 'patient_has_no_portal_account') {
          return 'The patient has no portal account. Offer SMS instead.';
        }
        return caught.message;
      }
      return 'Could not send. Check your connection and try again.';
    }
  };

  return (
    <section class="thread" aria-label={title}>
      <header class="thread-header">
        {onBack && (
          <button type="button" class="back" onClick={onBack} aria-label="Back to conversations">
            ←
          </button>
        )}
        <h2>{title}</h2>
      </header>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <div class="messages" role="log" aria-label={`Messages with ${title}`} ref={listRef} onScroll={onScroll} tabIndex={0}>
        {hasOlder && (
          <button type="button" class="load-older" onClick={() => void loadOlder()}>
            Load earlier messages
          </button>
        )}
        {groupByDay(messages).map((group) => (
          <div key={group.day} class="day">
            <div class="day-label" role="separator">
              {group.label}
            </div>
            {group.messages.map((message) => {
              // Each side's messages sit on one side: the clinic's (any staff member's) or the patient's.
              const mine = message.senderKind === me.kind;
              return (
                <article key={message.seq} class={mine ? 'message mine' : 'message theirs'} aria-label={`${message.senderName} at ${clockTime(message.sentAt)}`}>
                  <div class="meta">
                    <span class="author">{message.senderId === me.userId ? 'You' : message.senderName}</span>
                    <time dateTime={message.sentAt}>{clockTime(message.sentAt)}</time>
                  </div>
                  <p class="text">{message.text}</p>
                </article>
              );
            })}
          </div>
        ))}
        {messages.length === 0 && !error && <p class="empty">No messages yet.</p>}
      </div>
      <Composer blockedReason={blockedReason} onSend={send} />
    </section>
  );
}
