import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { ChatHub } from '../hub';
import { RecordCache } from '../logic/recordCache';
import { connectionState, type HubState } from '../logic/connection';
import { PushBus } from '../logic/pushes';
import { notificationFor } from '../logic/sensitive';
import { Acknowledger } from '../logic/receipts';
import { applyMessage, needsReply, needsReplyDelta, shouldNotify, sortThreads, totalUnread } from '../logic/threads';
import type { Me, Message, Thread } from '../types';

export interface ThreadListOptions {
  /** True: the archived list; false: the active one; null: both (a patient's inbox, where each thread says which). */
  archived: boolean | null;
  search: string;
  /** Staff: only the threads waiting for a reply (not archived, the patient wrote last). */
  needsReply?: boolean;
}

/**
 * The live thread list and the push connection behind it: loads the list, keeps it current from
 * hub pushes, resyncs after every (re)connect, raises notifications and keeps the tab title's count.
 */
export function useChat(me: Me, options: ThreadListOptions, openThreadId: string | null) {
  const [threads, setThreads] = useState<Thread[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  /** Staff: how many of their clinics' threads wait for a reply (from the server's first page, then kept by pushes). */
  const [needsReplyCount, setNeedsReplyCount] = useState<number | null>(null);
  const bus = useMemo(() => new PushBus(), []);
  const acknowledger = useMemo(() => new Acknowledger((id, receipts) => api.acknowledge(id, receipts)), []);
  // One per signed-in session: the cards' current records live in memory only and go with the session.
  const records = useMemo(
    () => new RecordCache((id) => api.record(id).catch((error: unknown) => (error instanceof ApiError && error.status === 404 ? null : Promise.reject(error)))),
    [],
  );

  const [hubState, setHubState] = useState<HubState>('connecting');
  const browserOnline = useBrowserOnline();
  const hubRef = useRef<ChatHub | null>(null);
  const openRef = useRef(openThreadId);
  openRef.current = openThreadId;
  const threadsRef = useRef(threads);
  threadsRef.current = threads;
  const optionsRef = useRef(options);
  optionsRef.current = options;

  const reload = useCallback(async () => {
    const { archived, search, needsReply: waiting } = optionsRef.current;
    const page = await api.threads({ archived, search: search.trim() || undefined, limit: 50, filter: waiting ? 'needsReply' : undefined });
    if (page.needsReply !== null && page.needsReply !== undefined) {
      setNeedsReplyCount(page.needsReply);
    }
    if (optionsRef.current.archived === archived && optionsRef.current.search === search && optionsRef.current.needsReply === waiting) {
      if (me.kind === 'patient') {
        // A patient has one thread per clinic and the list carries each newest message: once the
        // list is here, so are they. Staff lists are long; their devices acknowledge on push and on open.
        page.threads.filter((t) => t.lastSenderKind === 'staff').forEach((t) => acknowledger.delivered(t.id, t.lastSeq));
      }
      setThreads(sortThreads(page.threads));
      setNextCursor(page.nextCursor);
      setLoaded(true);
    }
  }, [me.kind, acknowledger]);

  const loadMore = useCallback(async () => {
    if (!nextCursor) {
      return;
    }
    const { archived, search, needsReply: waiting } = optionsRef.current;
    const page = await api.threads({ archived, search: search.trim() || undefined, limit: 50, cursor: nextCursor, filter: waiting ? 'needsReply' : undefined });
    setThreads((current) => sortThreads([...current, ...page.threads.filter((t) => !current.some((c) => c.id === t.id))]));
    setNextCursor(page.nextCursor);
  }, [nextCursor]);

  useEffect(() => {
    const timer = window.setTimeout(() => void reload(), options.search ? 200 : 0);
    return () => window.clearTimeout(timer);
  }, [options.archived, options.search, options.needsReply, reload]);

  useEffect(() => {
    const onMessage = (message: Message) => {
      bus.message(message);
      if (message.senderKind !== me.kind) {
        // This device has it: the sender sees "Delivered" (the open thread acknowledges reading itself).
        acknowledger.delivered(message.conversationId, message.seq);
      }
      const thread = threadsRef.current.find((t) => t.id === message.conversationId);
      if (me.kind === 'staff' && shouldNotify(thread, message, me.kind, document.hidden)) {
        notify(thread, message);
      }
      const next = applyMessage(threadsRef.current, message, me.kind, openRef.current);
      if (next) {
        const after = next.find((t) => t.id === message.conversationId);
        if (thread && after) {
          setNeedsReplyCount((count) => (count === null ? count : Math.max(0, count + needsReplyDelta(thread, after))));
        }
        const { archived, needsReply: waiting } = optionsRef.current;
        setThreads(sortThreads(archived || (waiting && after && !needsReply(after)) ? next.filter((t) => t.id !== message.conversationId) : next));
      } else if (me.kind === 'staff' && !optionsRef.current.search && !optionsRef.current.archived) {
        // A thread not on the loaded page: whether it waited for a reply before is not known here, so the first page
        // (and the team's count with it) is read again; the thread is then on it, and its next messages are applied.
        void reload();
      } else if (!optionsRef.current.archived && !optionsRef.current.search) {
        // A thread not on the loaded page moves to the top: fetch just that one, not the whole list.
        void api.thread(message.conversationId).then(
          (thread) => setThreads((current) => sortThreads([thread, ...current.filter((t) => t.id !== thread.id)])),
          () => undefined,
        );
      }
    };
    const resync = () => {
      void reload();
      bus.resync();
      records.refreshAll();
    };
    const hub = new ChatHub({
      MessageAdded: onMessage,
      ConversationUpdated: () => void reload(),
      ReceiptsUpdated: (update) => bus.receipts(update),
      Typing: (update) => bus.typing(update),
      PresenceChanged: (update) => bus.presence(update.conversationId, update.patientOnline),
      RecordUpdated: (update) => records.updated(update.recordId, update.version),
      Subscribed: resync,
    }, setHubState);
    hubRef.current = hub;
    void hub.start();
    return () => {
      hubRef.current = null;
      void hub.stop();
    };
  }, [bus, acknowledger, records, me.kind, reload]);

  const typing = useCallback((conversationId: string) => hubRef.current?.typing(conversationId), []);

  const unread = totalUnread(threads);
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) ClinicChat` : 'ClinicChat';
  }, [unread]);

  const markedRead = useCallback((threadId: string) => {
    setThreads((current) => current.map((t) => (t.id === threadId ? { ...t, unreadCount: 0 } : t)));
  }, []);

  const replaceThread = useCallback((thread: Thread) => {
    setThreads((current) => sortThreads(current.map((t) => (t.id === thread.id ? thread : t))));
  }, []);

  const connection = connectionState(browserOnline, hubState);

  return { threads, loaded, connection, bus, acknowledger, records, typing, reload, loadMore, hasMore: nextCursor !== null, markedRead, replaceThread, needsReplyCount };
}

/** The live chat of the signed-in user, as the workspace and its thread view use it. */
export type Chat = ReturnType<typeof useChat>;

/** A browser notification that never carries message content: only that something arrived (sensitive or not), and from whom. */
function notify(thread: Thread | undefined, message: Message) {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') {
    return;
  }
  const { title, body } = notificationFor(message, thread ? thread.patientName : 'a patient');
  new Notification(title, { body, tag: thread?.id });
}

/** Whether the browser believes it has a network (navigator.onLine), kept current. */
function useBrowserOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** Asks for notification permission on a user gesture, once. */
export function askForNotifications() {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') {
    void Notification.requestPermission();
  }
}
