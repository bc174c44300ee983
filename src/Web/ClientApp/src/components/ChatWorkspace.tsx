import type { ComponentChildren } from 'preact';
import type { Me, Thread } from '../types';
import { ThreadView } from './ThreadView';
import { focusIsLost, useFocusAfterRender } from './useFocusAfterRender';
import type { Chat } from './useChat';

/** What the open thread shows that depends on who is looking (staff or patient). */
export interface ThreadPresentation {
  title: string;
  subtitle: string | null;
  clinicName?: string | null;
  blockedReason: string | null;
  sensitiveUntil?: string | null;
  onReauthenticate?: () => void;
  focusComposer?: boolean;
  /** Staff: the thread's team controls (assignee, status, topic), under its header. */
  toolbar?: ComponentChildren;
  /** Patients: the clinic's hours and emergency note, above the message box. */
  composerNotice?: ComponentChildren;
}

interface Props {
  me: Me;
  chat: Chat;
  /** The sidebar's accessible name. */
  sidebarLabel: string;
  /** The sidebar's content: the role's lists, search and actions. */
  sidebar: ComponentChildren;
  openThread: Thread | null;
  present: (thread: Thread) => ThreadPresentation;
  /** Where Back goes on a phone: the list's own route. */
  listHash: string;
  /** Shown where the thread would be while none is open. */
  placeholder: string;
  /**
   * Shown instead of a thread, as one would be (on a phone, in place of the list): a patient's new message, or why the
   * thread asked for is gone. It brings its own section and its way back.
   */
  pane?: ComponentChildren;
  /** Dialogs that belong to the workspace. */
  children?: ComponentChildren;
}

/**
 * The chat shell staff and patients share: a sidebar of threads beside the open thread (on a phone, one
 * or the other), wired to the live chat (useChat). Each role brings its sidebar and how a thread reads.
 */
export function ChatWorkspace({ me, chat, sidebarLabel, sidebar, openThread, present, listHash, placeholder, pane, children }: Props) {
  const focusAfterRender = useFocusAfterRender();
  /**
   * Back (a phone): the list returns, and the thread's own row takes the keyboard; Back went with the thread. Only while
   * the focus is lost: a row that is not in the list now (another tab, a search) must not take the focus from whatever
   * the user went on to when it shows up later.
   */
  const back = (threadId: string) => {
    window.location.hash = listHash;
    focusAfterRender(() => (focusIsLost() ? document.querySelector<HTMLElement>(`.sidebar a.thread-link[href$="/${threadId}"]`) : null));
  };
  return (
    <div class={openThread || pane ? 'workspace has-thread' : 'workspace'}>
      <aside class="sidebar" aria-label={sidebarLabel}>
        {sidebar}
      </aside>
      {openThread ? (
        <ThreadView
          key={openThread.id}
          me={me}
          thread={openThread}
          {...present(openThread)}
          bus={chat.bus}
          connection={chat.connection}
          acknowledger={chat.acknowledger}
          records={chat.records}
          quickReplies={chat.quickReplies}
          onTyping={chat.typing}
          onRead={chat.markedRead}
          onBack={() => back(openThread.id)}
        />
      ) : pane ? (
        pane
      ) : (
        <section class="thread placeholder">
          <p>{placeholder}</p>
        </section>
      )}
      {children}
    </div>
  );
}
