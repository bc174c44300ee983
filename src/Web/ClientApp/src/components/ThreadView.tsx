import type { ComponentChildren } from 'preact';
import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, uploadAttachment } from '../api';
import { draftKey } from '../logic/drafts';
import type { RecordCache } from '../logic/recordCache';
import type { QuickReplyCache } from '../logic/quickReplyCache';
import type { ConnectionState } from '../logic/connection';
import { groupByDay, runsOf } from '../logic/messages';
import { itemsAfter } from '../logic/team';
import { rolesOf, threadAccess } from '../logic/roles';
import { topicLabel, topicOf } from '../logic/topics';
import type { PushBus } from '../logic/pushes';
import type { Acknowledger } from '../logic/receipts';
import type { Message, RecordKind, Me, Thread } from '../types';
import { Composer } from './Composer';
import { DaySeparator } from './DaySeparator';
import { ErrorAlert } from './ErrorAlert';
import { MessageRun } from './MessageRun';
import { NoteComposer } from './NoteComposer';
import { StaffLine } from './StaffLine';
import { ThreadHeader } from './ThreadHeader';
import { UnsentMessageBubble } from './UnsentMessageBubble';
import { useOutboxDelivery } from './useOutboxDelivery';
import { useThreadHistory } from './useThreadHistory';
import { useSeenBy } from './useSeenBy';
import { useTyping } from './useTyping';

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
  records: RecordCache;
  /** Staff: the quick replies filled in per thread, for the composer's palette. */
  quickReplies: QuickReplyCache;
  onTyping: (conversationId: string) => void;
  /** Why the composer is off (for example, the patient opted out), or null. */
  blockedReason: string | null;
  onRead: (threadId: string) => void;
  /** Patients: until when sensitive messages are shown (null: closed). Each change re-fetches the sensitive messages held. Staff: null. */
  sensitiveUntil?: string | null;
  /** Patients: opens "Verify it's you" from a locked placeholder. */
  onReauthenticate?: () => void;
  onBack?: () => void;
  /** Staff: the message box takes focus when the thread opens (from the sidebar or a new conversation). */
  focusComposer?: boolean;
  /** Staff: the thread's team controls (assignee, status, topic), under the header. */
  toolbar?: ComponentChildren;
  /** Patients: what to know before writing (the clinic's hours, its emergency note), just above the message box. */
  composerNotice?: ComponentChildren;
}

/**
 * One conversation: its history (useThreadHistory: pages, pushes, receipts, the sensitive window), the
 * outbox that keeps unsent messages across reloads (useOutboxDelivery), and the list that shows both,
 * following the bottom unless the user has scrolled up.
 */
export function ThreadView({ me, thread, title, subtitle, clinicName = null, bus, connection, acknowledger, records, quickReplies, onTyping, blockedReason, onRead, sensitiveUntil = null, onReauthenticate, onBack, focusComposer = false, toolbar, composerNotice }: Props) {
  const [droppedFiles, setDroppedFiles] = useState<File[]>([]);
  const [withdrawProblem, setWithdrawProblem] = useState<string | null>(null);
  /** Staff: writing an internal note instead of a message (the message draft stays as it was). */
  const [writingNote, setWritingNote] = useState(false);
  const noteToggle = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  // Staff: what else the server lets them do in this clinic's thread (Billing staff: no quick replies, no patient file, invoices only).
  const access = me.kind === 'staff' ? threadAccess(rolesOf(me), thread.clinicId) : null;
  const topic = topicOf(thread);
  // A message that comes while the reader is scrolled up is not read until they are back at the bottom (found on a walk:
  // the clinic saw "Read" for a message the patient had not scrolled to).
  const { history, messages, staffItems, recipients, hasOlder, error } = useThreadHistory({ conversationId: thread.id, viewer: me.kind, bus, acknowledger, onRead, sensitiveUntil, atNewest: () => stickToBottom.current });
  const typingName = useTyping(bus, thread.id, me);
  const seenBy = useSeenBy(messages, me.userId, me.kind === 'staff');
  const outbox = useOutboxDelivery({
    userId: me.userId,
    conversationId: thread.id,
    connection,
    onStored: (message) => {
      stickToBottom.current = true;
      history.stored(message);
    },
  });

  const keepAtBottom = useCallback(() => {
    const list = listRef.current;
    if (list && stickToBottom.current) {
      list.scrollTop = list.scrollHeight;
    }
  }, []);

  useLayoutEffect(keepAtBottom, [messages, staffItems, outbox.pending, keepAtBottom]);

  // A message that arrives while the reader is scrolled up lands out of sight: a button says so and takes them down
  // (found on a walk: a patient reading an unlocked message above was not told of the clinic's new one below).
  const [newBelow, setNewBelow] = useState(false);
  const newestSeq = messages[messages.length - 1]?.seq ?? 0;
  const shownNewest = useRef(newestSeq);
  useLayoutEffect(() => {
    if (newestSeq > shownNewest.current && !stickToBottom.current) {
      setNewBelow(true);
    }
    shownNewest.current = newestSeq;
  }, [newestSeq]);
  const showNewest = () => {
    const list = listRef.current;
    stickToBottom.current = true;
    setNewBelow(false);
    history.markRead();
    if (list) {
      list.scrollTop = list.scrollHeight;
      // The button goes: the keyboard goes to the messages it brought into view.
      list.focus();
    }
  };

  // The list also changes size without new messages: the header gains a line ("Online in the portal"), an error or the
  // composer's tray appears, a card or a long message lays out again, the window or a phone's keyboard resizes. Each would
  // hide the newest messages below the fold while the list stays where it was; following them keeps the bottom in view.
  const observed = useRef<ResizeObserver | null>(null);
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list || typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(keepAtBottom);
    observer.observe(list);
    observed.current = observer;
    return () => {
      observer.disconnect();
      observed.current = null;
    };
  }, [keepAtBottom]);
  useLayoutEffect(() => {
    // Its content, day by day and line by line: observing an element twice is a no-op, and a removed one is let go.
    for (const child of Array.from(listRef.current?.children ?? [])) {
      observed.current?.observe(child);
    }
  });

  const loadOlder = async () => {
    const list = listRef.current;
    const fromBottom = list ? list.scrollHeight - list.scrollTop : 0;
    const loaded = await history.loadOlder(() => {
      stickToBottom.current = false;
    });
    if (loaded) {
      requestAnimationFrame(() => {
        if (list) {
          list.scrollTop = list.scrollHeight - fromBottom;
        }
      });
    }
  };

  const onScroll = (event: Event) => {
    const list = event.currentTarget as HTMLDivElement;
    stickToBottom.current = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    if (stickToBottom.current) {
      setNewBelow(false);
      history.markRead();
    }
    if (list.scrollTop < 40) {
      void loadOlder();
    }
  };

  /** Staff: recalls one of their own messages (sent to the wrong thread), once its bubble has asked. */
  const withdraw = useCallback(
    (message: Message) => {
      setWithdrawProblem(null);
      return api.withdraw(thread.id, message.seq).then(
        (stored) => {
          history.stored(stored);
          return true;
        },
        (error: unknown) => {
          setWithdrawProblem(error instanceof ApiError ? error.message : 'Could not withdraw the message.');
          return false;
        },
      );
    },
    [thread.id, history],
  );

  const send = (text: string, attachmentIds: string[], recordIds: string[], sensitive: boolean) => {
    stickToBottom.current = true;
    outbox.send(text, attachmentIds, recordIds, sensitive);
  };

  // The palette's list is the records as they are now: cards of the message about to be sent need not fetch them again.
  const findRecords = useCallback(
    async (kind: RecordKind, search: string) => {
      const { items } = await api.records(thread.id, kind, search);
      items.forEach((record) => records.prime(record));
      return items;
    },
    [thread.id, records],
  );

  // Filled in by the server for this thread's patient and clinic; asked for when the palette first opens, kept per thread.
  const findQuickReplies = useCallback(
    () => quickReplies.get(thread.id, () => api.filledQuickReplies(thread.clinicId, thread.patientId)),
    [thread.id, thread.clinicId, thread.patientId, quickReplies],
  );

  // Only while something waits to be sent: the set holds every message of the thread.
  const stored = outbox.pending.length > 0 ? new Set(messages.map((m) => m.clientMessageId)) : null;
  const unsent = stored ? outbox.pending.filter((item) => !stored.has(item.clientMessageId)) : [];
  // Staff lines sit after the message they follow; those before the first message held show once nothing older is left,
  // those after the newest held (its push still on the way) at the end.
  const firstSeq = messages[0]?.seq ?? Number.POSITIVE_INFINITY;
  const lastSeq = messages[messages.length - 1]?.seq ?? 0;
  const leadingLines = hasOlder ? [] : staffItems.filter((item) => item.afterSeq < firstSeq);
  const trailingLines = staffItems.filter((item) => item.afterSeq > lastSeq && item.afterSeq >= firstSeq);

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
      <ThreadHeader
        title={title}
        clinicName={clinicName}
        subtitle={subtitle}
        connection={connection}
        onBack={onBack}
        patient={access?.patientFile ? { clinicId: thread.clinicId, patientId: thread.patientId } : null}
        topic={topic ? topicLabel(topic, me.kind) : null}
        focusIfLost={!focusComposer}
      />
      {toolbar}
      <ErrorAlert message={error ?? withdrawProblem} />
      <div class="messages" role="log" aria-label={`Messages with ${title}`} ref={listRef} onScroll={onScroll} tabIndex={0}>
        {hasOlder && (
          <button type="button" class="load-older" onClick={() => void loadOlder()}>
            Load earlier messages
          </button>
        )}
        {leadingLines.map((item) => (
          <StaffLine key={`i${item.itemSeq}`} item={item} />
        ))}
        {groupByDay(messages).map((group) => (
          <div key={group.day} class="day">
            <DaySeparator label={group.label} />
            {runsOf(group.messages).map((run) => {
              const first = run.messages[0]!.seq;
              const last = run.messages[run.messages.length - 1]!.seq;
              return (
                <MessageRun
                  key={run.key}
                  messages={run.messages}
                  lines={itemsAfter(staffItems, first, last)}
                  seenBy={seenBy && seenBy.afterSeq >= first && seenBy.afterSeq <= last ? seenBy : null}
                  me={me}
                  recipients={recipients}
                  records={records}
                  recordKinds={access?.recordKinds}
                  onReauthenticate={onReauthenticate}
                  onImageLoad={keepAtBottom}
                  onWithdraw={me.kind === 'staff' ? withdraw : undefined}
                />
              );
            })}
          </div>
        ))}
        {trailingLines.map((item) => (
          <StaffLine key={`i${item.itemSeq}`} item={item} />
        ))}
        {unsent.map((item) => (
          <UnsentMessageBubble key={item.clientMessageId} item={item} connection={connection} onRetry={outbox.retry} onDiscard={outbox.discard} />
        ))}
        {messages.length === 0 && unsent.length === 0 && !error && <p class="empty">No messages yet.</p>}
      </div>
      {newBelow && (
        <button type="button" class="new-below" onClick={showNewest}>
          New message below ↓
        </button>
      )}
      <p class="typing" aria-live="polite">
        {typingName ? `${typingName} is typing…` : ''}
      </p>
      {me.kind === 'staff' && (
        <div class="compose-mode">
          <button type="button" class="link-button" aria-pressed={writingNote} ref={noteToggle} onClick={() => setWritingNote((on) => !on)}>
            {writingNote ? 'Back to message' : 'Internal note'}
          </button>
        </div>
      )}
      {/* Kept while hidden, as the message box is: "Back to message" and back again finds the note as it was left. */}
      {me.kind === 'staff' && (
        <div hidden={!writingNote}>
          <NoteComposer
            me={me}
            conversationId={thread.id}
            clinicId={thread.clinicId}
            topic={topic}
            shown={writingNote}
            onLeave={() => {
              // Back on the control that opened the note, as Escape in a question asked in place does.
              noteToggle.current?.focus();
              setWritingNote(false);
            }}
            onStored={(note) => {
              stickToBottom.current = true;
              history.staffItemPushed(note);
            }}
          />
        </div>
      )}
      <div hidden={writingNote}>
      {composerNotice}
      <Composer
        blockedReason={blockedReason}
        onSend={send}
        onTyping={() => onTyping(thread.id)}
        upload={(file, onProgress) => uploadAttachment(thread.id, file, onProgress)}
        incomingFiles={droppedFiles}
        findRecords={me.kind === 'staff' ? findRecords : null}
        findQuickReplies={access?.quickReplies ? findQuickReplies : null}
        recordKinds={access?.recordKinds}
        speakingAs={clinicName ? { patientName: title, clinicName } : null}
        focusOnOpen={focusComposer}
        writer={me.kind}
        draftKey={draftKey(me.userId, thread.id)}
      />
      </div>
    </section>
  );
}
