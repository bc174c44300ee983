import { memo } from 'preact/compat';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { shortTime } from '../logic/format';
import { needsReply, unreadLabel } from '../logic/threads';
import { statusLabel } from '../logic/team';
import { waitOf } from '../logic/waiting';
import { topicLabel, topicOf } from '../logic/topics';
import type { Thread } from '../types';
import { MutedIcon, PinIcon } from './Icons';
import { useMinuteClock } from './useMinuteClock';
import { ErrorAlert } from './ErrorAlert';

interface MenuActions {
  onTogglePin: (thread: Thread) => void;
  onToggleMute: (thread: Thread) => void;
}

interface Props {
  threads: Thread[];
  loaded: boolean;
  openId: string | null;
  nameOf: (thread: Thread) => string;
  /** Staff of several clinics: the clinic a row is with, said in the row (and its link's name). Absent: names only. */
  clinicOf?: (thread: Thread) => string;
  onOpen: (id: string) => void;
  menu?: MenuActions;
  emptyText: string;
  hasMore?: boolean;
  onLoadMore?: () => void;
  /** The list could not be read: said, with a way to try again (the rows already shown stay). */
  failed?: boolean;
  onRetry?: () => void;
  /**
   * Staff: mark the threads waiting for the team's answer, how long the patient has waited (and "Overdue" past the
   * clinic's reply target), and say what each thread is about, who has it and where it stands.
   */
  showNeedsReply?: boolean;
  /** Staff: the signed-in member, whose own threads read "You". */
  myUserId?: string;
  /** Staff: threads where a colleague mentioned them since they last opened it. */
  mentionedIn?: ReadonlySet<string>;
}

/** Opens a row's menu at a point, with the "…" button it belongs to (focus goes back there when the keyboard closes it). */
type OpenMenu = (thread: Thread, x: number, y: number, opener: HTMLElement | null) => void;

/** The sidebar list. Each item is a link named by the other party; staff get a Pin/Mute menu (right-click or "…"). */
export function ThreadList({ threads, loaded, openId, nameOf, clinicOf, onOpen, menu, emptyText, hasMore, onLoadMore, failed, onRetry, showNeedsReply, myUserId, mentionedIn }: Props) {
  /** The open menu, with the "…" button it belongs to: focus goes back there when the keyboard closes it. */
  const [menuFor, setMenuFor] = useState<{ thread: Thread; x: number; y: number; opener: HTMLElement | null } | null>(null);
  // One clock for every row, running only while some row shows a wait.
  const now = useMinuteClock(!!showNeedsReply && threads.some((t) => t.team?.waitingSince));
  // Rows are memoised and a push changes one or two threads: the rows get handlers that stay the same object while the
  // parent passes new ones on every render, so the other rows are skipped.
  const openRef = useRef(onOpen);
  openRef.current = onOpen;
  const openThread = useCallback((id: string) => openRef.current(id), []);
  const openMenu = useCallback<OpenMenu>((thread, x, y, opener) => setMenuFor({ thread, x, y, opener }), []);
  const today = new Date().toDateString();

  return (
    <div class="thread-list">
      <ul>
        {threads.map((thread) => (
          <ThreadRow
            key={thread.id}
            thread={thread}
            name={nameOf(thread)}
            clinic={clinicOf?.(thread)}
            isOpen={thread.id === openId}
            today={today}
            now={showNeedsReply ? now : null}
            myUserId={myUserId}
            mentioned={mentionedIn?.has(thread.id) ?? false}
            onOpen={openThread}
            onMenu={menu ? openMenu : undefined}
          />
        ))}
      </ul>
      {failed ? (
        <ErrorAlert message="Could not load conversations." onRetry={onRetry} class="list-failed" />
      ) : (
        loaded && threads.length === 0 && <p class="empty">{emptyText}</p>
      )}
      {hasMore && onLoadMore && (
        <button type="button" class="load-more" onClick={onLoadMore}>
          Show more
        </button>
      )}
      {menu && menuFor && (
        <ThreadMenu
          thread={menuFor.thread}
          x={menuFor.x}
          y={menuFor.y}
          actions={menu}
          onClose={(returnFocus) => {
            setMenuFor(null);
            if (returnFocus) {
              menuFor.opener?.focus();
            }
          }}
        />
      )}
    </div>
  );
}

interface RowProps {
  thread: Thread;
  /** The other party: the patient (staff) or the clinic (patients). */
  name: string;
  /** Staff of several clinics: the clinic the thread is with. */
  clinic?: string;
  isOpen: boolean;
  /** The local day: once it changes, times of the day before read "Mon" instead of "14:05" at the list's next render. */
  today: string;
  /** Staff: the list's clock, for the wait and the team marks; null where those are not shown. */
  now: Date | null;
  myUserId?: string;
  /** A colleague mentioned the signed-in member here since they last opened it. */
  mentioned: boolean;
  onOpen: (id: string) => void;
  onMenu?: OpenMenu;
}

/** One thread of the list; it renders again only when one of its props changed (a push changes one or two threads). */
const ThreadRow = memo(function ThreadRow({ thread, name, clinic, isOpen, now, myUserId, mentioned, onOpen, onMenu }: RowProps) {
  const wait = now ? waitOf(thread, now) : null;
  const waitId = `wait-${thread.id}`;
  // Staff only (the list's clock runs for them): what the thread waits for, its topic and who has it.
  const teamMarks = now !== null;
  return (
    <li
      class={['thread-item', isOpen && 'open', wait?.overdue && 'overdue'].filter(Boolean).join(' ')}
      onContextMenu={
        onMenu
          ? (event) => {
              event.preventDefault();
              const opener = (event.currentTarget as HTMLElement).querySelector<HTMLElement>('button.more');
              onMenu(thread, event.clientX, event.clientY, opener);
            }
          : undefined
      }
    >
      <div class="thread-main">
        <span class="thread-name">
          {thread.pinned && (
            <span class="icon" title="Pinned" role="img" aria-label="Pinned">
              <PinIcon />
            </span>
          )}
          {/* The link is the name only (its accessible name is what it shows); it covers the row. */}
          <a
            class="thread-link"
            href={`#/${onMenu ? 'chat' : 'inbox'}/${thread.id}`}
            aria-current={isOpen ? 'true' : undefined}
            // The link's name is the patient; the wait is said after it, so a list read by links still hears "Overdue".
            aria-describedby={wait ? waitId : undefined}
            onClick={(event) => {
              event.preventDefault();
              onOpen(thread.id);
            }}
          >
            {name}
            {clinic && <span class="thread-clinic">, {clinic}</span>}
          </a>
          {thread.muted && (
            <span class="icon muted-icon" title="Muted" role="img" aria-label="Muted">
              <MutedIcon />
            </span>
          )}
        </span>
        <time class="thread-time" dateTime={thread.lastActivityAt}>
          {shortTime(thread.lastActivityAt)}
        </time>
        {/* The team's marks on a line of their own, wrapping if they must: beside the preview, a topic, status and assignee
            left the message a few letters and were themselves cut ("Waiting on p"). */}
        {teamMarks && (mentioned || needsReply(thread) || topicOf(thread) || hasTeamMark(thread.team)) && (
          <span class="thread-marks">
            {mentioned && <span class="mention-mark">@ You were mentioned</span>}
            {needsReply(thread) && <span class="needs-reply">Needs reply</span>}
            <TopicMark thread={thread} />
            {thread.team && <TeamMark team={thread.team} myUserId={myUserId} />}
          </span>
        )}
        <span class="thread-preview">{thread.lastMessagePreview ?? 'No messages yet'}</span>
        {thread.unreadCount > 0 && (
          <span class="badge">
            {unreadLabel(thread.unreadCount)}
            <span class="visually-hidden"> unread</span>
          </span>
        )}
        {wait && <WaitMark id={waitId} {...wait} />}
      </div>
      {onMenu && (
        <button
          type="button"
          class="more"
          // Two rows for the same patient at two clinics must not read alike, to the eye or to a screen reader.
          aria-label={`More actions for ${clinic ? `${name}, ${clinic}` : name}`}
          aria-haspopup="menu"
          onClick={(event) => {
            const opener = event.currentTarget as HTMLElement;
            const box = opener.getBoundingClientRect();
            onMenu(thread, box.left, box.bottom, opener);
          }}
        >
          …
        </button>
      )}
    </li>
  );
});

/** What the thread is about, in the staff's short words ("Care team"); nothing when it has no topic. */
function TopicMark({ thread }: { thread: Thread }) {
  const topic = topicOf(thread);
  return topic ? (
    <span class="topic-tag">
      <span class="visually-hidden">Topic: </span>
      {topicLabel(topic, 'staff')}
    </span>
  ) : null;
}

/** Whether a thread's team shows a mark: someone has it, or it is not simply open. */
function hasTeamMark(team: Thread['team']): boolean {
  return team !== undefined && team !== null && (team.assignee !== null || team.status !== 'open');
}

/** Who has the thread (first name, "You") and, unless open, its status. */
function TeamMark({ team, myUserId }: { team: NonNullable<Thread['team']>; myUserId?: string }) {
  const who = team.assignee ? (team.assignee.userId === myUserId ? 'You' : team.assignee.displayName.split(' ')[0]) : null;
  if (!hasTeamMark(team)) {
    return null;
  }
  return (
    <span class="thread-team">
      {team.status !== 'open' && <span class={`status-mark ${team.status}`}>{statusLabel(team.status)}</span>}
      {who && (
        <span class="assignee-mark" title={`Assigned to ${team.assignee?.displayName ?? ''}`}>
          <span class="visually-hidden">Assigned to </span>
          {who}
        </span>
      )}
    </span>
  );
}

/** "Waiting 25 min", after "Overdue" once the clinic's reply target has passed: a word, not only the row's colour. */
function WaitMark({ id, since, text, overdue }: { id: string; since: string; text: string; overdue: boolean }) {
  return (
    <span id={id} class={overdue ? 'thread-wait overdue' : 'thread-wait'}>
      {overdue && (
        <>
          <span class="overdue-mark">Overdue</span>
          <span class="visually-hidden">,</span>{' '}
        </>
      )}
      <time dateTime={since}>{text}</time>
    </span>
  );
}

/** onClose(true) when the menu was used or dismissed from the keyboard; a click elsewhere leaves focus where it went. */
function ThreadMenu({ thread, x, y, actions, onClose }: { thread: Thread; x: number; y: number; actions: MenuActions; onClose: (returnFocus: boolean) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  // The list passes a new onClose at each of its renders, and a push renders it while the menu is open: the focus is put
  // on the first item once, when the menu opens (found on a walk: a push took it from Mute back to Pin, and Enter pinned).
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const close = (event: Event) => {
      if (!ref.current?.contains(event.target as Node)) {
        closeRef.current(false);
      }
    };
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && closeRef.current(true);
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', onKey);
    };
  }, []);

  const choose = (action: (thread: Thread) => void) => () => {
    action(thread);
    onClose(true);
  };
  const moveFocus = (event: KeyboardEvent) => {
    if (event.key === 'Tab') {
      // A menu is one stop: Tab closes it from its "…" button, and the browser goes on from there to the next control
      // (before, Tab walked through the items and then to the page, leaving the menu open).
      closeRef.current(true);
      return;
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') {
      return;
    }
    event.preventDefault();
    const items = [...(ref.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    items[(index + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
  };

  return (
    <div class="menu" role="menu" aria-label={`Actions for ${thread.patientName}`} ref={ref} style={{ left: `${x}px`, top: `${y}px` }} onKeyDown={moveFocus}>
      <button type="button" role="menuitem" tabIndex={-1} onClick={choose(actions.onTogglePin)}>
        {thread.pinned ? 'Unpin' : 'Pin'}
      </button>
      <button type="button" role="menuitem" tabIndex={-1} onClick={choose(actions.onToggleMute)}>
        {thread.muted ? 'Unmute' : 'Mute'}
      </button>
    </div>
  );
}
