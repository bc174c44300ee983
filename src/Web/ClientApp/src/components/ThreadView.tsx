import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, uploadAttachment } from '../api';
import type { ArtifactStore } from '../logic/artifacts';
import { pendingStatusText, type ConnectionState } from '../logic/connection';
import { clockTime } from '../logic/format';
import { gapAfter, groupByDay, mergeMessages, newClientMessageId, sensitiveRefetchAfter } from '../logic/messages';
import { Outbox, type OutboxItem } from '../logic/outbox';
import { browserLocks, OutboxSender } from '../logic/outboxSender';
import type { PushBus } from '../logic/pushes';
import { isLockedToRecipients, mergeReceipts, noReceipts, statusLabel, statusOf, type Acknowledger } from '../logic/receipts';
import { lockedPlaceholderText, windowOpen } from '../logic/sensitive';
import type { ArtifactKind, Me, Message, Receipts, Thread } from '../types';
import { AttachmentView } from './AttachmentView';
import { Composer } from './Composer';
import { ConnectionStatus } from './ConnectionStatus';
import { LockIcon } from './Icons';
import { RecordCard } from './RecordCard';
import { ErrorAlert } from './ErrorAlert';

interface Props {
  me: Me;
  thread: Thread;
  title: string;
  /** A hint under the title, such as the patient being online in the portal. */
  subtitle: string | null;
  /** Staff of several clinics: the clinic this thread is with, in the header and the composer's placeholder. */
  clinicName?: string | null;
  bus: PushBus;
  /** This app's own connection: shown in the header, and on queued messages. */
  connection: ConnectionState;
  acknowledger: Acknowledger;
  /** The current state of the records that cards refer to, kept live by the hub. */
  artifacts: ArtifactStore;
  onTyping: (conversationId: string) => void;
  /** Why the composer is off (for example, the patient opted out), or null. */
  blockedReason: string | null;
  onRead: (threadId: string) => void;
  /** Patients: until when sensitive messages are shown (null: closed). Each change re-fetches the sensitive messages held. Staff: null. */
  sensitiveUntil?: string | null;
  /** Patients: opens "Verify it's you" from a locked placeholder. */
  onVerify?: () => void;
  onBack?: () => void;
  /** Staff: the message box takes focus when the thread opens (from the sidebar or a new conversation). */
  focusComposer?: boolean;
}

const pageSize = 50;
const typingShownMs = 4000;

/**
 * One conversation: history paged by seq, live pushes merged by seq (a gap triggers a sync), the
 * other side's receipts as statuses on my messages, and an outbox that keeps unsent messages
 * across reloads and retries them with their original client id until the server answers.
 * Sensitive messages come locked to a patient outside the re-authentication window; whenever the
 * window opens or closes the held ones are fetched again, and the fetched copy replaces the held one.
 */
export function ThreadView({ me, thread, title, subtitle, clinicName = null, bus, connection, acknowledger, artifacts, onTyping, blockedReason, onRead, sensitiveUntil = null, onVerify, onBack, focusComposer = false }: Props) {
  const [messages, setMessages] = useState<Message[]>([]);
  const [recipients, setRecipients] = useState<Receipts>(noReceipts);
  const [pending, setPending] = useState<OutboxItem[]>([]);
  const [hasOlder, setHasOlder] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [typingName, setTypingName] = useState<string | null>(null);
  const [droppedFiles, setDroppedFiles] = useState<File[]>([]);
  const listRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const messagesRef = useRef(messages);
  messagesRef.current = messages;
  const lastReadSent = useRef(0);
  /** Patients: the newest seq acknowledged as read while the window was open (the server counts sensitive messages read only then). */
  const lastUnlockedReadSent = useRef(0);
  const untilRef = useRef(sensitiveUntil);
  untilRef.current = sensitiveUntil;
  const outbox = useMemo(() => new Outbox(window.localStorage, `clinicchat.outbox.${me.userId}`), [me.userId]);
  const otherSide = me.kind === 'staff' ? 'patient' : 'staff';

  const markRead = useCallback(
    (list: readonly Message[]) => {
      const last = list[list.length - 1]?.seq ?? 0;
      // Inside the window a read also tells the clinic the sensitive messages were seen: only once none shows locked
      // (a locked copy held is being fetched again, and that fetch reads again). Outside it, an ordinary read.
      const unlocked = windowOpen(untilRef.current, new Date());
      if (document.hidden || (unlocked && list.some((m) => m.locked))) {
        return;
      }
      if (last > lastReadSent.current || (unlocked && last > lastUnlockedReadSent.current)) {
        lastReadSent.current = Math.max(lastReadSent.current, last);
        if (unlocked) {
          lastUnlockedReadSent.current = last;
        }
        acknowledger.read(thread.id, last);
        onRead(thread.id);
      }
    },
    [thread.id, acknowledger, onRead],
  );

  const syncing = useRef<Promise<void> | null>(null);
  const syncAgain = useRef(false);
  /** Held messages after this seq are to be fetched again (the window changed, or a locked push came inside it); null: none. */
  const refetchAfter = useRef<number | null>(null);

  /**
   * Pages everything after the newest message held, first re-fetching what refetchAfter asks for.
   * One sync at a time; a request during it runs once more after, so a page asked for before the
   * window changed can never land after the re-fetch that follows the change.
   */
  const catchUp = useCallback((): Promise<void> => {
    if (syncing.current) {
      syncAgain.current = true;
      return syncing.current;
    }
    const run = async () => {
      do {
        syncAgain.current = false;
        if (refetchAfter.current !== null) {
          let from = refetchAfter.current;
          refetchAfter.current = null;
          for (;;) {
            const page = await api.messages(thread.id, { afterSeq: from, limit: 200 });
            messagesRef.current = mergeMessages(messagesRef.current, page.messages, 'fetched');
            setMessages(messagesRef.current);
            const last = page.messages[page.messages.length - 1]?.seq;
            if (!page.hasMore || last === undefined) {
              break;
            }
            from = last;
          }
        }
        let after = messagesRef.current[messagesRef.current.length - 1]?.seq;
        const initial = after === undefined;
        for (;;) {
          const page = after === undefined ? await api.messages(thread.id, { limit: pageSize }) : await api.messages(thread.id, { afterSeq: after, limit: 200 });
          if (initial) {
            setHasOlder(page.hasMore);
          }
          setRecipients((r) => mergeReceipts(r, me.kind === 'staff' ? page.patientReceipts : page.staffReceipts));
          // Merge into whatever is current: pushes and sends may have landed while this page was on its way.
          messagesRef.current = mergeMessages(messagesRef.current, page.messages, 'fetched');
          setMessages(messagesRef.current);
          after = messagesRef.current[messagesRef.current.length - 1]?.seq;
          if (initial || !page.hasMore || page.messages.length === 0) {
            break;
          }
        }
        markRead(messagesRef.current);
      } while (syncAgain.current);
    };
    syncing.current = run().finally(() => {
      syncing.current = null;
    });
    return syncing.current;
  }, [thread.id, me.kind, markRead]);

  /** Fetches the held messages after a seq again (at most once per sync, from the lowest seq asked for). */
  const refetch = useCallback(
    (afterSeq: number) => {
      refetchAfter.current = refetchAfter.current === null ? afterSeq : Math.min(refetchAfter.current, afterSeq);
      return catchUp();
    },
    [catchUp],
  );

  const refreshPending = useCallback(() => setPending(outbox.forConversation(thread.id)), [outbox, thread.id]);
  const [sender, setSender] = useState<OutboxSender<Message> | null>(null);
  const senderRef = useRef(sender);
  senderRef.current = sender;

  // One sender per open thread: it sends the queue in order, one message at a time, and holds a lock
  // (per user and thread) that other tabs share, so a reload or a second tab cannot reorder it.
  useEffect(() => {
    const next = new OutboxSender<Message>({
      outbox,
      conversationId: thread.id,
      send: (item) => api.send(item.conversationId, item.clientMessageId, item.text, item.attachmentIds ?? [], item.artifactIds ?? [], item.sensitive ?? false),
      lockName: `clinicchat.outbox.${me.userId}.${thread.id}`,
      exclusive: browserLocks,
      changed: (sent) => {
        const stored = sent?.stored;
        if (stored && stored.conversationId === thread.id) {
          stickToBottom.current = true;
          messagesRef.current = mergeMessages(messagesRef.current, [stored], 'fetched');
          setMessages(messagesRef.current);
        }
        refreshPending();
      },
      failureText: (caught) => (caught instanceof ApiError ? failureText(caught) : String(caught)),
    });
    setSender(next);
    // Messages left unsent by an earlier visit or a reload go out now, oldest first.
    next.kick();
    return () => next.dispose();
  }, [outbox, thread.id, me.userId, refreshPending]);

  useEffect(() => {
    setMessages([]);
    messagesRef.current = [];
    syncing.current = null;
    refetchAfter.current = null;
    setRecipients(noReceipts);
    lastReadSent.current = 0;
    lastUnlockedReadSent.current = 0;
    stickToBottom.current = true;
    setError(null);
    setTypingName(null);
    void catchUp().catch(() => setError('Could not load this conversation.'));
    setPending(outbox.forConversation(thread.id));
  }, [thread.id, catchUp, outbox]);

  useEffect(() => {
    let typingTimer: number | undefined;
    const offMessage = bus.onMessage((message) => {
      if (message.conversationId !== thread.id) {
        return;
      }
      if (message.senderKind === otherSide) {
        setTypingName(null);
      }
      if (gapAfter(messagesRef.current, message) !== null) {
        void catchUp();
        return;
      }
      messagesRef.current = mergeMessages(messagesRef.current, [message]);
      setMessages(messagesRef.current);
      markRead(messagesRef.current);
      // Pushes to patients are always locked; inside the window the page holds the content.
      if (message.locked && windowOpen(untilRef.current, new Date())) {
        void refetch(message.seq - 1).catch(() => undefined);
      }
    });
    const offReceipts = bus.onReceipts((update) => {
      if (update.conversationId === thread.id && update.side === otherSide) {
        setRecipients((r) => mergeReceipts(r, update));
      }
    });
    const offTyping = bus.onTyping((update) => {
      if (update.conversationId === thread.id && update.side === otherSide) {
        setTypingName(update.name);
        window.clearTimeout(typingTimer);
        typingTimer = window.setTimeout(() => setTypingName(null), typingShownMs);
      }
    });
    const offResync = bus.onResync(() => void catchUp());
    const onVisible = () => !document.hidden && markRead(messagesRef.current);
    document.addEventListener('visibilitychange', onVisible);
    // Back online: send what waited at once instead of at the next back-off step.
    const onOnline = () => senderRef.current?.kick();
    window.addEventListener('online', onOnline);
    return () => {
      offMessage();
      offReceipts();
      offTyping();
      offResync();
      window.clearTimeout(typingTimer);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('online', onOnline);
    };
  }, [bus, thread.id, otherSide, catchUp, refetch, markRead]);

  // The push connection is back (perhaps without the browser ever saying "offline"): send what waited.
  useEffect(() => {
    if (connection === 'online') {
      senderRef.current?.kick();
    }
  }, [connection]);

  // The window opened, was ended or ran out: what the sensitive messages held may show has changed.
  const windowSeen = useRef(sensitiveUntil);
  useEffect(() => {
    if (windowSeen.current === sensitiveUntil) {
      return;
    }
    windowSeen.current = sensitiveUntil;
    const after = sensitiveRefetchAfter(messagesRef.current);
    if (after !== null) {
      void refetch(after).catch(() => setError('Could not refresh this conversation.'));
    }
  }, [sensitiveUntil, refetch]);

  const keepAtBottom = useCallback(() => {
    const list = listRef.current;
    if (list && stickToBottom.current) {
      list.scrollTop = list.scrollHeight;
    }
  }, []);

  useLayoutEffect(keepAtBottom, [messages, pending, keepAtBottom]);

  const loadOlder = async () => {
    const first = messagesRef.current[0]?.seq;
    if (!hasOlder || first === undefined) {
      return;
    }
    const list = listRef.current;
    const fromBottom = list ? list.scrollHeight - list.scrollTop : 0;
    const windowAsked = untilRef.current;
    const page = await api.messages(thread.id, { beforeSeq: first, limit: pageSize });
    setHasOlder(page.hasMore);
    stickToBottom.current = false;
    messagesRef.current = mergeMessages(messagesRef.current, page.messages, 'fetched');
    setMessages(messagesRef.current);
    requestAnimationFrame(() => {
      if (list) {
        list.scrollTop = list.scrollHeight - fromBottom;
      }
    });
    // The window changed while this page was on its way: its sensitive messages may show the wrong state.
    const after = sensitiveRefetchAfter(page.messages);
    if (untilRef.current !== windowAsked && after !== null) {
      void refetch(after).catch(() => undefined);
    }
  };

  const onScroll = (event: Event) => {
    const list = event.currentTarget as HTMLDivElement;
    stickToBottom.current = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    if (list.scrollTop < 40) {
      void loadOlder();
    }
  };

  const send = (text: string, attachmentIds: string[], artifactIds: string[], sensitive: boolean) => {
    const item: OutboxItem = {
      clientMessageId: newClientMessageId(),
      conversationId: thread.id,
      text,
      attachmentIds,
      artifactIds,
      sensitive,
      createdAt: new Date().toISOString(),
      failure: null,
    };
    outbox.add(item);
    stickToBottom.current = true;
    refreshPending();
    sender?.kick();
  };

  // The palette's list is the records as they are now: cards of the message about to be sent need not fetch them again.
  const findRecords = useCallback(
    async (kind: ArtifactKind) => {
      const { items } = await api.recentArtifacts(thread.id, kind);
      items.forEach((artifact) => artifacts.prime(artifact));
      return items;
    },
    [thread.id, artifacts],
  );

  const retry = (item: OutboxItem) => {
    outbox.retry(item.clientMessageId);
    refreshPending();
    sender?.kick();
  };

  const discard = (item: OutboxItem) => {
    outbox.remove(item.clientMessageId);
    refreshPending();
  };

  const stored = new Set(messages.map((m) => m.clientMessageId));
  const unsent = pending.filter((item) => !stored.has(item.clientMessageId));

  return (
    <section
      class="thread"
      aria-label={title}
      onDragOver={(event) => {
        if (event.dataTransfer?.types.includes('Files')) {
          event.preventDefault();
        }
      }}
      onDrop={(event) => {
        const files = [...(event.dataTransfer?.files ?? [])];
        if (files.length > 0) {
          event.preventDefault();
          setDroppedFiles(files);
        }
      }}
    >
      <header class="thread-header">
        {onBack && (
          <button type="button" class="back" onClick={onBack} aria-label="Back to conversations">
            ←
          </button>
        )}
        <div>
          <h2>{title}</h2>
          {clinicName && <p class="thread-clinic">{clinicName}</p>}
          {subtitle && (
            <p class="presence" role="status">
              <span class="dot" aria-hidden="true" /> {subtitle}
            </p>
          )}
          <ConnectionStatus state={connection} />
        </div>
      </header>
      <ErrorAlert message={error} />
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
              const status = mine ? statusOf(message.seq, recipients, isLockedToRecipients(message)) : null;
              return (
                <article key={message.seq} class={mine ? 'message mine' : 'message theirs'} aria-label={`${message.senderName} at ${clockTime(message.sentAt)}`}>
                  <div class="meta">
                    <span class="author">{message.senderId === me.userId ? 'You' : message.senderName}</span>
                    <time dateTime={message.sentAt}>{clockTime(message.sentAt)}</time>
                    {message.sensitive && !message.locked && <SensitiveMark />}
                  </div>
                  {message.locked && (
                    <p class="text locked">
                      <LockIcon /> <span class="placeholder-text">{lockedPlaceholderText}</span>{' '}
                      {onVerify && (
                        <button type="button" class="link-button" onClick={onVerify}>
                          Verify it's you
                        </button>
                      )}
                    </p>
                  )}
                  {message.text && <p class="text">{message.text}</p>}
                  {message.cards?.map((card) => (
                    <RecordCard key={card.id} sent={card} store={artifacts} />
                  ))}
                  {message.attachments?.map((attachment) => (
                    <AttachmentView key={attachment.attachmentId} attachment={attachment} from={message.senderName} onImageLoad={keepAtBottom} />
                  ))}
                  {status && (
                    <span class="status" title={readByText(message)}>
                      {statusLabel[status]}
                    </span>
                  )}
                </article>
              );
            })}
          </div>
        ))}
        {unsent.map((item) => (
          <article key={item.clientMessageId} class="message mine pending" aria-label="Your unsent message">
            {item.sensitive && (
              <div class="meta">
                <SensitiveMark />
              </div>
            )}
            {item.text && <p class="text">{item.text}</p>}
            {(item.attachmentIds?.length ?? 0) > 0 && <p class="text">{`${item.attachmentIds!.length} attachment(s)`}</p>}
            {(item.artifactIds?.length ?? 0) > 0 && <p class="text">{`${item.artifactIds!.length} card(s)`}</p>}
            {item.failure === null ? (
              <span class="status">{pendingStatusText(connection)}</span>
            ) : (
              <span class="status failed">
                Failed — <span class="failure-reason">{item.failure}</span>{' '}
                <button type="button" class="link-button" onClick={() => retry(item)}>
                  Retry
                </button>{' '}
                <button type="button" class="link-button" onClick={() => discard(item)}>
                  Discard
                </button>
              </span>
            )}
          </article>
        ))}
        {messages.length === 0 && unsent.length === 0 && !error && <p class="empty">No messages yet.</p>}
      </div>
      <p class="typing" aria-live="polite">
        {typingName ? `${typingName} is typing…` : ''}
      </p>
      <Composer
        blockedReason={blockedReason}
        onSend={send}
        onTyping={() => onTyping(thread.id)}
        upload={(file, onProgress) => uploadAttachment(thread.id, file, onProgress)}
        incomingFiles={droppedFiles}
        findRecords={me.kind === 'staff' ? findRecords : null}
        speakingAs={clinicName ? { patientName: title, clinicName } : null}
        focusOnOpen={focusComposer}
        writer={me.kind}
      />
    </section>
  );
}

/** The lock on a sensitive message the viewer can read (staff always; a patient inside the window). */
function SensitiveMark() {
  return (
    <span class="sensitive-mark" role="img" aria-label="Sensitive" title="Sensitive">
      <LockIcon />
    </span>
  );
}

function readByText(message: Message): string | undefined {
  if (!message.readBy || message.readBy.length === 0) {
    return undefined;
  }
  return message.readBy.map((r) => `${r.locked ? 'Opened, locked by' : 'Read by'} ${r.name} at ${clockTime(r.readAt)}`).join(', ');
}

function failureText(error: ApiError): string {
  switch (error.code) {
    case 'patient_opted_out':
      return 'the patient has opted out of chat; nothing was delivered.';
    case 'patient_has_no_portal_account':
      return 'the patient has no portal account; offer SMS instead.';
    case 'validation_failed':
      return error.field === 'artifactIds' ? 'a card refers to a record that is not this patient’s; discard it and attach the right one.' : error.message;
    default:
      return error.message;
  }
}
