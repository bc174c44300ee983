import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import type { Me, Thread } from '../types';
import type { Route } from './useHashRoute';
import { askForNotifications, useChat } from './useChat';
import { ThreadList } from './ThreadList';
import { ChatWorkspace } from './ChatWorkspace';
import { NewConversationDialog } from './NewConversationDialog';
import { usePendingInvitation } from './PortalInvitePanel';
import { rolesOf, takesPartIn, threadAccess } from '../logic/roles';
import { needsReplyLabel } from '../logic/threads';
import { staffLists, type StaffList } from '../logic/team';
import { topicOf } from '../logic/topics';
import { TeamControls } from './TeamControls';
import { threadAfterPush } from '../logic/waiting';
import type { ThreadTeam } from '../types';

export function StaffChat({ me, route }: { me: Me; route: Route }) {
  const [list, setList] = useState<StaffList>('inbox');
  const archived = list === 'archived';
  const [search, setSearch] = useState('');
  const [dialogOpen, setDialogOpen] = useState(false);
  const roles = rolesOf(me);
  const severalClinics = roles.chatsForSeveralClinics;
  /**
   * Threads routed away from the user while they had them open (Billing staff, when a colleague moves a thread off billing):
   * the server no longer shows them these, so nothing about them is asked for again; the page says where they went.
   */
  const [movedAway, setMovedAway] = useState<ReadonlySet<string>>(() => new Set());
  const routedId = route.section === 'chat' ? route.id : null;
  const moved = routedId !== null && movedAway.has(routedId);
  const openId = moved ? null : routedId;
  const chat = useChat(me, { archived, search, list }, openId);
  const [openThread, setOpenThread] = useState<Thread | null>(null);
  const openRef = useRef(openThread);
  openRef.current = openThread;
  const access = openThread ? threadAccess(roles, openThread.clinicId) : null;
  // A patient with a pending portal invitation can be written to: the messages wait in their Inbox (not asked of Billing staff, whom the server refuses).
  const invited = usePendingInvitation(openThread && access?.patientFile ? openThread : null);
  const [patientOnline, setPatientOnline] = useState(false);

  /** The open thread's team changed (a push, or the user's own change): the thread follows, or is gone if the user no longer takes part. */
  const teamChanged = (threadId: string, team: ThreadTeam) => {
    const current = openRef.current;
    if (!current || current.id !== threadId) {
      return;
    }
    const after = threadAfterPush(current, team);
    const takesPart = takesPartIn(roles, after.clinicId, topicOf(after));
    setMovedAway((ids) => markedMoved(ids, threadId, !takesPart));
    setOpenThread((shown) => (shown && shown.id === threadId ? threadAfterPush(shown, team) : shown));
  };
  const teamChangedRef = useRef(teamChanged);
  teamChangedRef.current = teamChanged;

  // Presence is per thread: read it when a thread opens, then follow the pushes.
  useEffect(() => {
    setPatientOnline(false);
    if (!openId) {
      return;
    }
    let current = true;
    const read = () => void api.thread(openId).then((t) => current && setPatientOnline(t.patientOnline), () => undefined);
    read();
    // Changes while we were disconnected were not pushed: read it again after every (re)connect.
    const offResync = chat.bus.onResync(read);
    const offPresence = chat.bus.onPresence((conversationId, online) => {
      if (conversationId === openId) {
        setPatientOnline(online);
      }
    });
    return () => {
      current = false;
      offPresence();
      offResync();
    };
  }, [openId, chat.bus]);

  // The open thread may be off the list (closed, assigned away, routed away): its team state follows the pushes all the same.
  useEffect(() => chat.bus.onStaffItem((push) => teamChangedRef.current(push.item.conversationId, push.team)), [chat.bus]);

  // The open thread comes from the list when it is there, else it is fetched (archived, filtered out, or new).
  useEffect(() => {
    if (!routedId) {
      setOpenThread(null);
      return;
    }
    const listed = chat.threads.find((t) => t.id === routedId);
    if (listed && takesPartIn(roles, listed.clinicId, topicOf(listed))) {
      // Listed again, a thread moved away was routed back (the billing topic hears of every change of topic).
      setMovedAway((ids) => markedMoved(ids, routedId, false));
      setOpenThread(listed);
      return;
    }
    if (moved) {
      // The server would refuse it now: nothing is asked for.
      return;
    }
    if (openId && openThread?.id !== openId) {
      // Ignore an answer that arrives after the user has moved on to another thread.
      void findThread(openId).then((found) => window.location.hash.endsWith(openId) && setOpenThread(found));
    }
  }, [routedId, moved, chat.threads]); // eslint-disable-line react-hooks/exhaustive-deps

  const open = (id: string) => {
    askForNotifications();
    window.location.hash = `#/chat/${id}`;
  };

  const togglePin = useCallback(
    async (thread: Thread) => {
      await api.setPinned(thread.id, !thread.pinned);
      chat.replaceThread({ ...thread, pinned: !thread.pinned });
    },
    [chat],
  );
  const toggleMute = useCallback(
    async (thread: Thread) => {
      await api.setMuted(thread.id, !thread.muted);
      chat.replaceThread({ ...thread, muted: !thread.muted });
    },
    [chat],
  );

  return (
    <ChatWorkspace
      me={me}
      chat={chat}
      sidebarLabel="Conversations"
      sidebar={
        <>
          {/* The page's heading, like the portal's Inbox: the focus lands on it after sign-in. Sighted staff see "Chat" marked in the top bar. */}
          <h1 class="visually-hidden">Chat</h1>
          <div class="sidebar-top">
            <input
              type="search"
              aria-label="Search conversations"
              placeholder="Search patients by name"
              value={search}
              onInput={(e) => setSearch(e.currentTarget.value)}
            />
            {/* Billing staff answer the threads patients start about billing; they start none. */}
            {roles.startsConversations && (
              <button type="button" class="primary" onClick={() => setDialogOpen(true)}>
                + New conversation
              </button>
            )}
          </div>
          <ListTabs list={list} needsReplyCount={chat.needsReplyCount} onChange={setList} />
          <ThreadList
            threads={chat.threads}
            loaded={chat.loaded}
            openId={openId}
            nameOf={(t) => t.patientName}
            clinicOf={severalClinics ? (t) => t.clinicName : undefined}
            onOpen={open}
            menu={{ onTogglePin: (t) => void togglePin(t), onToggleMute: (t) => void toggleMute(t) }}
            showNeedsReply
            myUserId={me.userId}
            mentionedIn={chat.mentionedIn}
            emptyText={
              search
                ? list === 'inbox'
                  ? 'No conversation with a patient of that name. Search finds conversations by the patient’s name, not by what was said; to write to a patient you have no conversation with yet, use + New conversation.'
                  : // A narrower list: the patient's thread may well be in Open (found on a walk: this pointed to a duplicate).
                    // Archived is one too: it holds only threads quiet for 12 months (found on a later walk: it said "No
                    // conversation with a patient of that name" for a patient whose thread was in Inbox).
                    'None in this list with a patient of that name. Their conversation may be in another list, such as Inbox or Closed.'
                : archived
                  ? archivedEmptyText
                  : emptyTextOf[list]
            }
            hasMore={chat.hasMore}
            onLoadMore={() => void chat.loadMore()}
            failed={chat.listFailed}
            onRetry={() => void chat.reload()}
          />
        </>
      }
      openThread={moved ? null : openThread}
      present={(thread) => ({
        title: thread.patientName,
        // Presence is only known while we are connected: offline, "online" would be a guess.
        subtitle: patientOnline && chat.connection === 'online' ? 'Online in the portal' : null,
        clinicName: severalClinics ? thread.clinicName : null,
        blockedReason: invited ? null : blockedReasonFor(thread),
        focusComposer: true,
        toolbar: (
          <TeamControls
            thread={thread}
            me={me}
            onChanged={(team) => {
              // The row and the open thread follow at once (the push that follows changes nothing more).
              chat.teamChanged(thread.id, team);
              teamChanged(thread.id, team);
            }}
          />
        ),
      })}
      listHash="#/chat"
      placeholder={roles.startsConversations ? 'Select a conversation, or start a new one.' : 'Select a conversation.'}
      pane={moved ? <MovedAway /> : undefined}
    >
      {dialogOpen && (
        <NewConversationDialog
          clinics={roles.chatClinics}
          onClose={() => setDialogOpen(false)}
          onStarted={(id) => {
            setDialogOpen(false);
            setList('inbox');
            void chat.reload().then(() => open(id));
          }}
        />
      )}
    </ChatWorkspace>
  );
}

/** The Archived list says how threads get there (there is no Archive action). */
const archivedEmptyText =
  'No archived conversations. A conversation moves here by itself after 12 months without a message, and a new message brings it back.';

const emptyTextOf: Record<StaffList, string> = {
  inbox: 'No open conversations.',
  mine: 'No open conversations are assigned to you.',
  unassigned: 'Every open conversation has someone on it.',
  needsReply: 'Every conversation has an answer.',
  closed: 'No closed conversations.',
  archived: archivedEmptyText,
};

const lists = staffLists;

/**
 * The sidebar's lists as one ARIA tablist: one Tab stop (the selected tab), Left/Right/Home/End move between the tabs
 * and select them as they go. "Needs reply" counts the threads waiting for the team's answer.
 */
function ListTabs({ list, needsReplyCount, onChange }: { list: StaffList; needsReplyCount: number | null; onChange: (list: StaffList) => void }) {
  const tabs = useRef<HTMLDivElement>(null);
  const select = (index: number) => {
    onChange(lists[index]?.name ?? 'inbox');
    tabs.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]')[index]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const current = lists.findIndex((l) => l.name === list);
    const target = { ArrowLeft: (current + lists.length - 1) % lists.length, ArrowRight: (current + 1) % lists.length, Home: 0, End: lists.length - 1 }[event.key];
    if (target !== undefined) {
      event.preventDefault();
      select(target);
    }
  };
  return (
    <div role="tablist" aria-label="Conversation lists" class="tabs" ref={tabs} onKeyDown={onKeyDown}>
      {lists.map(({ name, label }) => (
        <button key={name} type="button" role="tab" aria-selected={list === name} tabIndex={list === name ? 0 : -1} onClick={() => onChange(name)}>
          {label}
          {name === 'needsReply' && needsReplyCount !== null && needsReplyCount > 0 && (
            <span class="tab-count">
              <span class="visually-hidden"> </span>
              {needsReplyLabel(needsReplyCount)}
              <span class="visually-hidden"> waiting</span>
            </span>
          )}
        </button>
      ))}
    </div>
  );
}

/** The threads moved away, with threadId in (moved) or out; the same set when nothing changes. */
function markedMoved(ids: ReadonlySet<string>, threadId: string, moved: boolean): ReadonlySet<string> {
  if (ids.has(threadId) === moved) {
    return ids;
  }
  return moved ? new Set([...ids, threadId]) : new Set([...ids].filter((id) => id !== threadId));
}

/** Where an open thread was, once it was routed to colleagues the user does not work with (Billing staff, off billing). */
function MovedAway() {
  return (
    <section class="thread placeholder moved-away" aria-labelledby="moved-away-text">
      <div>
        <p id="moved-away-text" role="status">
          This conversation was moved to another team.
        </p>
        <button type="button" class="link-button" onClick={() => (window.location.hash = '#/chat')}>
          Back to conversations
        </button>
      </div>
    </section>
  );
}

/** A thread not in the current list (archived, or filtered out by the search). */
async function findThread(id: string): Promise<Thread | null> {
  return api.thread(id).catch(() => null);
}

/** Why the composer is off for this thread's patient, or null. */
function blockedReasonFor(thread: Thread): string | null {
  if (!thread.patientHasPortalAccount) {
    return `${thread.patientName} has no portal account, so chat is not possible. Offer SMS instead.`;
  }
  return thread.patientChatOptIn ? null : `${thread.patientName} has opted out of chat. Nothing can be delivered.`;
}
