import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, sessionHasEnded } from '../api';
import { ChatHub } from '../hub';
import { RecordCache } from '../logic/recordCache';
import { QuickReplyCache } from '../logic/quickReplyCache';
import { connectionState, type HubState } from '../logic/connection';
import { PushBus } from '../logic/pushes';
import { notificationFor } from '../logic/sensitive';
import { Acknowledger, routeAcknowledgements } from '../logic/receipts';
import { applyMessage, applyWithdrawn, lastFromClinic, needsReply, needsReplyDelta, shouldNotify, sortThreads, totalUnread } from '../logic/threads';
import { belongsIn, listQuery, type StaffList } from '../logic/team';
import { threadAfterPush } from '../logic/waiting';
import { rolesOf, takesPartIn } from '../logic/roles';
import { topicOf } from '../logic/topics';
import type { Me, Message, StaffItemPush, Thread, ThreadPage, ThreadTeam } from '../types';

export interface ThreadListOptions {
  /** Patients: null lists archived and active threads alike (each says which). Staff: decided by list. */
  archived: boolean | null;
  search: string;
  /** Staff: which of the sidebar's lists (Inbox, Mine, Unassigned, Needs reply, Closed, Archived). */
  list?: StaffList;
}

/** The list's query: a staff list's own, or a patient's archived choice. */
function queryOf(options: ThreadListOptions) {
  return options.list ? listQuery(options.list) : { archived: options.archived };
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
  /** Staff: threads where a colleague mentioned them in a note since they last had it open (marked in the sidebar). */
  const [mentionedIn, setMentionedIn] = useState<ReadonlySet<string>>(() => new Set());
  const bus = useMemo(() => new PushBus(), []);
  const hubRef = useRef<ChatHub | null>(null);
  const acknowledger = useMemo(
    () => new Acknowledger(routeAcknowledgements((id, upToSeq) => hubRef.current?.delivered(id, upToSeq) ?? null, (id, receipts) => api.acknowledge(id, receipts))),
    [],
  );
  // One per signed-in session: the cards' current records live in memory only and go with the session.
  const records = useMemo(
    () => new RecordCache((id) => api.record(id).catch((error: unknown) => (error instanceof ApiError && error.status === 404 ? null : Promise.reject(error)))),
    [],
  );
  // Staff: the quick replies filled in for each thread's patient, for the composer's palette; memory only, like the records.
  const quickReplies = useMemo(() => new QuickReplyCache(), []);

  const [hubState, setHubState] = useState<HubState>('connecting');
  const browserOnline = useBrowserOnline();
  const openRef = useRef(openThreadId);
  openRef.current = openThreadId;
  // Opening the thread shows the note: its mark goes.
  useEffect(() => {
    if (openThreadId) {
      setMentionedIn((current) => withoutId(current, openThreadId));
    }
  }, [openThreadId]);
  const threadsRef = useRef(threads);
  threadsRef.current = threads;
  const optionsRef = useRef(options);
  optionsRef.current = options;
  // Staff: where they take part (a change of /me, such as two-step sign-in turned on, must not restart the connection).
  const rolesRef = useRef(rolesOf(me));
  rolesRef.current = rolesOf(me);

  /**
   * The list could not be read (the network, the server): said in the sidebar with a way to try again, the rows shown
   * before kept. Not for an ended session: the app goes back to sign-in for that (api's sessionEndedEvent).
   */
  const [listFailed, setListFailed] = useState(false);
  const failed = useCallback((error: unknown) => setListFailed(!sessionHasEnded(error)), []);

  /** Reads the list's first page again. Never rejects: pushes and timers call it and nothing awaits them (a failure shows as listFailed). */
  const reload = useCallback(async () => {
    const { archived, search, list } = optionsRef.current;
    let page: ThreadPage;
    try {
      page = await api.threads({ ...queryOf(optionsRef.current), search: search.trim() || undefined, limit: 50 });
    } catch (error) {
      failed(error);
      return;
    }
    setListFailed(false);
    if (page.needsReply !== null && page.needsReply !== undefined) {
      setNeedsReplyCount(page.needsReply);
    }
    if (optionsRef.current.archived === archived && optionsRef.current.search === search && optionsRef.current.list === list) {
      if (me.kind === 'patient') {
        // A patient has one thread per clinic and the list carries each newest message: once the
        // list is here, so are they. Staff lists are long; their devices acknowledge on push and on open.
        page.threads.filter(lastFromClinic).forEach((t) => acknowledger.delivered(t.id, t.lastSeq));
      }
      setThreads(sortThreads(page.threads));
      setNextCursor(page.nextCursor);
      setLoaded(true);
    }
  }, [me.kind, acknowledger, failed]);

  /** The list's next page; like reload, never rejects. */
  const loadMore = useCallback(async () => {
    if (!nextCursor) {
      return;
    }
    const { search } = optionsRef.current;
    let page: ThreadPage;
    try {
      page = await api.threads({ ...queryOf(optionsRef.current), search: search.trim() || undefined, limit: 50, cursor: nextCursor });
    } catch (error) {
      failed(error);
      return;
    }
    setListFailed(false);
    setThreads((current) => sortThreads([...current, ...page.threads.filter((t) => !current.some((c) => c.id === t.id))]));
    setNextCursor(page.nextCursor);
  }, [nextCursor, failed]);

  useEffect(() => {
    const timer = window.setTimeout(() => void reload(), options.search ? 200 : 0);
    return () => window.clearTimeout(timer);
  }, [options.archived, options.search, options.list, reload]);

  /**
   * Staff: a thread's team as a push or the user's own change brought it. Its row follows, or leaves the list: the list
   * shown, or every list when the thread was routed away from the user (Billing staff, off billing). False when the
   * thread is not on the page.
   */
  const teamChanged = useCallback(
    (conversationId: string, team: ThreadTeam): boolean => {
      const thread = threadsRef.current.find((t) => t.id === conversationId);
      if (!thread) {
        return false;
      }
      // The push's team comes from the conversation grain, which knows the wait but not when it is overdue.
      const after: Thread = threadAfterPush(thread, team);
      const stays = takesPartIn(rolesRef.current, after.clinicId, topicOf(after));
      const { list } = optionsRef.current;
      const leaves = !stays || (list !== undefined && !belongsIn(after, list, me.userId));
      // A thread the user no longer takes part in no longer counts for them either (the server's count leaves it out).
      setNeedsReplyCount((count) => (count === null ? count : Math.max(0, count + (stays ? needsReplyDelta(thread, after) : -Number(needsReply(thread))))));
      const apply = (threads: Thread[]) => (leaves ? threads.filter((t) => t.id !== conversationId) : threads.map((t) => (t.id === conversationId ? after : t)));
      // Kept at once, so that a push right behind the user's own change finds the row as it is now.
      threadsRef.current = apply(threadsRef.current);
      setThreads((current) => sortThreads(apply(current)));
      return true;
    },
    [me.userId],
  );

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
        const { list } = optionsRef.current;
        // A message unarchives its thread, and may take it out of (or keep it in) the list shown.
        const shown = sortThreads(list && after && !belongsIn(after, list, me.userId) ? next.filter((t) => t.id !== message.conversationId) : next);
        // Kept at once: the pushes of one burst arrive in one frame and are handled before the next render, so the
        // burst's next message, or the staff line of the reopening this message caused, must find the row as it is now
        // (built from the row before it, the staff line put the old preview back).
        threadsRef.current = shown;
        setThreads(shown);
      } else if (me.kind === 'staff' && !optionsRef.current.search && optionsRef.current.list !== 'archived') {
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
    let subscribedBefore = false;
    const resync = () => {
      void reload();
      bus.resync(subscribedBefore);
      subscribedBefore = true;
      records.refreshAll();
    };
    /** Staff: a thread's status, assignee or topic changed (or a note came): its row follows, or leaves the list, or the list is read again. */
    const onStaffItem = (push: StaffItemPush) => {
      bus.staffItem(push);
      if (!teamChanged(push.item.conversationId, push.team)) {
        // Not on the page: it may belong there now (assigned to me, reopened, routed to billing), and the count may have moved.
        const { search, list } = optionsRef.current;
        if (!search && list !== 'archived') {
          void reload();
        }
      }
    };
    const hub = new ChatHub({
      MessageAdded: (messages) => messages.forEach(onMessage),
      ConversationUpdated: () => void reload(),
      MessageWithdrawn: ({ conversationId, seq }) => {
        bus.withdrawn(conversationId, seq);
        setThreads((current) => applyWithdrawn(current, conversationId, seq, me.kind));
      },
      ReceiptsUpdated: (updates) => updates.forEach((update) => bus.receipts(update)),
      Typing: (update) => bus.typing(update),
      PresenceChanged: (update) => bus.presence(update.conversationId, update.patientOnline),
      RecordUpdated: (update) => records.updated(update.recordId, update.version),
      StaffItemAdded: onStaffItem,
      Mentioned: (mention) => {
        if (mention.conversationId !== openRef.current) {
          setMentionedIn((current) => new Set(current).add(mention.conversationId));
        }
        notifyMention(threadsRef.current.find((t) => t.id === mention.conversationId), mention.byName);
      },
      Subscribed: resync,
    }, setHubState);
    hubRef.current = hub;
    void hub.start();
    return () => {
      hubRef.current = null;
      void hub.stop();
    };
  }, [bus, acknowledger, records, me.kind, me.userId, reload, teamChanged]);

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

  return { threads, loaded, listFailed, connection, bus, acknowledger, records, quickReplies, typing, reload, loadMore, hasMore: nextCursor !== null, markedRead, replaceThread, teamChanged, needsReplyCount, mentionedIn };
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

function withoutId(ids: ReadonlySet<string>, id: string): ReadonlySet<string> {
  if (!ids.has(id)) {
    return ids;
  }
  const rest = new Set(ids);
  rest.delete(id);
  return rest;
}

/** A colleague mentioned this staff member in a note: who, and in which patient's thread; never the note's words. */
function notifyMention(thread: Thread | undefined, byName: string) {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') {
    return;
  }
  new Notification(`${byName} mentioned you`, { body: thread ? `In a note on ${thread.patientName}'s conversation` : 'In a note on a conversation', tag: thread?.id });
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
