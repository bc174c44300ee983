import type { Message, MessagePage, Receipts, ReceiptsUpdate, StaffItem, UserKind } from '../types';
import { gapAfter, mergeMessages, sensitiveRefetchAfter } from './messages';
import { mergeReceipts, noReceipts, withPushedRead } from './receipts';
import { windowOpen } from './sensitive';
import { mergeStaffItems } from './team';

export interface PageQuery {
  afterSeq?: number;
  beforeSeq?: number;
  limit: number;
}

export interface ThreadHistoryDeps {
  conversationId: string;
  viewer: UserKind;
  /** One page of the conversation's messages (GET …/messages). */
  fetchPage: (query: PageQuery) => Promise<MessagePage>;
  /** Tells the server (batched by the caller) that the viewer has read up to a seq. */
  acknowledgeRead: (upToSeq: number) => void;
  /**
   * Whether the newest message is out of sight: the page hidden, or the list scrolled up away from it. Nothing counts as
   * read while nobody can see it; the view calls markRead when it comes back into sight.
   */
  outOfSight: () => boolean;
  /** Patients: until when sensitive messages are shown (null: closed). Staff: always null. */
  sensitiveUntil: () => string | null;
  /** The messages, receipts or hasOlder changed: the view renders again. */
  changed: () => void;
  now?: () => Date;
}

/** How many reads that reached past the newest message held are kept for it (a few readers' moves during a page). */
const maxReadsAhead = 50;

/** The furthest seq a pushed read reached, locked or unlocked. */
const readReach = (update: ReceiptsUpdate): number => Math.max(update.readerMove?.readUpToSeq ?? 0, update.readerMove?.sensitiveReadUpToSeq ?? 0);

/** The newest page when a thread opens. */
export const openingPageSize = 50;
/** Pages when catching up or re-fetching: larger, since they fill what is missing. */
const catchUpPageSize = 200;

/**
 * One conversation's history as this viewer sees it: pages loaded by seq, pushes merged by seq (a
 * gap triggers a sync), the other side's receipts, and what has been acknowledged as read.
 * Sensitive messages come locked to a patient outside the re-authentication window; whenever the
 * window opens or closes the held ones are fetched again, and the fetched copy replaces the held one.
 * No DOM and no framework: the view subscribes through `changed`.
 */
export class ThreadHistory {
  messages: Message[] = [];
  /** The other side's receipts: how far they have received and read the viewer's messages. */
  recipients: Receipts = noReceipts;
  /** Whether older messages exist before the first one held. */
  hasOlder = false;
  /**
   * Staff: the lines only staff see (system lines, notes) that fall among the messages held, by item seq. Pages bring
   * those among their messages, pushes the new ones; a reconnect's catch-up brings those after the newest message held.
   */
  staffItems: StaffItem[] = [];

  private syncing: Promise<void> | null = null;
  private syncAgain = false;
  /** Held messages after this seq are to be fetched again (the window changed, or a locked push came inside it); null: none. */
  private refetchAfter: number | null = null;
  private lastReadSent = 0;
  /** Staff: reads pushed that reached past the newest message held, applied to those messages as they land. */
  private readsAhead: ReceiptsUpdate[] = [];
  /** Patients: the newest seq acknowledged as read while the window was open (the server counts sensitive messages read only then). */
  private lastUnlockedReadSent = 0;
  /** The window as last seen by sensitiveWindowChanged. */
  private windowSeen: string | null;
  private disposed = false;

  constructor(private readonly deps: ThreadHistoryDeps) {
    this.windowSeen = deps.sensitiveUntil();
  }

  private get otherSide(): UserKind {
    return this.deps.viewer === 'staff' ? 'patient' : 'staff';
  }

  private windowIsOpen(): boolean {
    return windowOpen(this.deps.sensitiveUntil(), (this.deps.now ?? (() => new Date()))());
  }

  /** The thread was closed: answers still on their way change nothing and no longer render. */
  dispose(): void {
    this.disposed = true;
  }

  /**
   * Pages everything after the newest message held, first re-fetching what refetchAfter asks for.
   * One sync at a time; a request during it runs once more after, so a page asked for before the
   * window changed can never land after the re-fetch that follows the change.
   */
  catchUp(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    const run = async () => {
      do {
        this.syncAgain = false;
        if (this.refetchAfter !== null) {
          let from = this.refetchAfter;
          this.refetchAfter = null;
          for (;;) {
            const page = await this.deps.fetchPage({ afterSeq: from, limit: catchUpPageSize });
            this.merge(page.messages, 'fetched', page.staffItems);
            const last = page.messages[page.messages.length - 1]?.seq;
            if (!page.hasMore || last === undefined || this.disposed) {
              break;
            }
            from = last;
          }
        }
        let after = this.lastSeq();
        const initial = after === undefined;
        for (;;) {
          const page = await this.deps.fetchPage(after === undefined ? { limit: openingPageSize } : { afterSeq: after, limit: catchUpPageSize });
          if (initial) {
            this.hasOlder = page.hasMore;
          }
          this.recipients = mergeReceipts(this.recipients, this.deps.viewer === 'staff' ? page.patientReceipts : page.staffReceipts);
          // Merge into whatever is current: pushes and sends may have landed while this page was on its way.
          this.merge(page.messages, 'fetched', page.staffItems);
          after = this.lastSeq();
          if (initial || !page.hasMore || page.messages.length === 0 || this.disposed) {
            break;
          }
        }
        this.markRead();
      } while (this.syncAgain && !this.disposed);
    };
    this.syncing = run().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  /**
   * The push connection came back after a gap (a dropped connection, a cluster that lost its subscriptions): what was
   * pushed while it was down is fetched. For staff that includes who read: a read made while disconnected moved no
   * read-by list here, so the newest page held is fetched again with the rest (older pages show theirs when they are
   * next loaded). Patients see no read-by lists; their statuses come with the catch-up's receipts.
   */
  resynced(): Promise<void> {
    const held = this.messages.length;
    if (this.deps.viewer !== 'staff' || held === 0) {
      return this.catchUp();
    }
    return this.refetch(this.messages[Math.max(0, held - openingPageSize)]!.seq - 1);
  }

  /** Fetches the held messages after a seq again (at most once per sync, from the lowest seq asked for). */
  refetch(afterSeq: number): Promise<void> {
    this.refetchAfter = this.refetchAfter === null ? afterSeq : Math.min(this.refetchAfter, afterSeq);
    return this.catchUp();
  }

  /** A message pushed by the hub (for any conversation: others are ignored). */
  pushed(message: Message): void {
    if (message.conversationId !== this.deps.conversationId) {
      return;
    }
    if (gapAfter(this.messages, message) !== null) {
      void this.catchUp();
      return;
    }
    this.merge([message], 'pushed');
    this.markRead();
    // Pushes to patients are always locked; inside the window the page holds the content.
    if (message.locked && this.windowIsOpen()) {
      void this.refetch(message.seq - 1).catch(() => undefined);
    }
  }

  /** Staff: a line only staff see, pushed by the hub (for any conversation: others are ignored). */
  staffItemPushed(item: StaffItem): void {
    if (item.conversationId === this.deps.conversationId && !this.disposed) {
      this.staffItems = mergeStaffItems(this.staffItems, [item]);
      this.notify();
    }
  }

  /** The server's answer to one of the viewer's sends. */
  stored(message: Message): void {
    if (message.conversationId === this.deps.conversationId) {
      this.merge([message], 'fetched');
    }
  }

  /**
   * Receipts pushed by the hub, for this conversation: the other side's cursors are kept (the viewer's statuses); for
   * staff, whoever's read it was goes into the read-by lists of the messages it reached ("Read by Pat at 14:05" on their
   * message, "Seen by Frank" under the patient's), without waiting for the next page.
   */
  receiptsPushed(update: ReceiptsUpdate): void {
    if (update.conversationId !== this.deps.conversationId || this.disposed) {
      return;
    }
    const messages = this.deps.viewer === 'staff' ? withPushedRead(this.messages, update) : this.messages;
    if (this.deps.viewer === 'staff' && update.readerMove && readReach(update) > (this.lastSeq() ?? 0)) {
      // The read reached messages still on their way (the opening page, a catch-up, or their push): listed as they land.
      this.readsAhead = [...this.readsAhead, update].slice(-maxReadsAhead);
    }
    if (update.side !== this.otherSide && messages === this.messages) {
      return;
    }
    if (update.side === this.otherSide) {
      this.recipients = mergeReceipts(this.recipients, update);
    }
    this.messages = messages;
    this.notify();
  }

  /**
   * The page before the first message held. `beforeMerge` runs once the page is here, before it is
   * shown (the view stops following the bottom there). False when there is nothing older to load.
   */
  async loadOlder(beforeMerge: () => void = () => undefined): Promise<boolean> {
    const first = this.messages[0]?.seq;
    if (!this.hasOlder || first === undefined) {
      return false;
    }
    const windowAsked = this.deps.sensitiveUntil();
    const page = await this.deps.fetchPage({ beforeSeq: first, limit: openingPageSize });
    if (this.disposed) {
      return false;
    }
    this.hasOlder = page.hasMore;
    beforeMerge();
    this.merge(page.messages, 'fetched', page.staffItems);
    // The window changed while this page was on its way: its sensitive messages may show the wrong state.
    const after = sensitiveRefetchAfter(page.messages);
    if (this.deps.sensitiveUntil() !== windowAsked && after !== null) {
      void this.refetch(after).catch(() => undefined);
    }
    return true;
  }

  /**
   * The window opened, was ended or ran out: what the sensitive messages held may show has changed, so
   * they are fetched again. Null when the window is as last seen or no sensitive message is held.
   */
  sensitiveWindowChanged(): Promise<void> | null {
    const until = this.deps.sensitiveUntil();
    if (until === this.windowSeen) {
      return null;
    }
    this.windowSeen = until;
    const after = sensitiveRefetchAfter(this.messages);
    return after === null ? null : this.refetch(after);
  }

  /**
   * Acknowledges reading up to the newest message held, once per new seq, and only while it is in
   * sight (the page visible, the list at its bottom). Inside the window a read also tells the clinic the sensitive messages were seen: only once
   * none shows locked (a locked copy held is being fetched again, and that fetch reads again).
   * Outside it, an ordinary read. Returns whether a read was acknowledged.
   */
  markRead(): boolean {
    const last = this.lastSeq() ?? 0;
    const unlocked = this.windowIsOpen();
    if (this.disposed || this.deps.outOfSight() || (unlocked && this.messages.some((m) => m.locked))) {
      return false;
    }
    if (last > this.lastReadSent || (unlocked && last > this.lastUnlockedReadSent)) {
      this.lastReadSent = Math.max(this.lastReadSent, last);
      if (unlocked) {
        this.lastUnlockedReadSent = last;
      }
      this.deps.acknowledgeRead(last);
      return true;
    }
    return false;
  }

  private lastSeq(): number | undefined {
    return this.messages[this.messages.length - 1]?.seq;
  }

  private merge(incoming: readonly Message[], source: 'pushed' | 'fetched', staffItems?: readonly StaffItem[] | null): void {
    if (this.disposed) {
      return;
    }
    this.messages = mergeMessages(this.messages, incoming, source);
    if (this.readsAhead.length > 0) {
      this.messages = this.readsAhead.reduce(withPushedRead, this.messages);
      const last = this.lastSeq() ?? 0;
      this.readsAhead = this.readsAhead.filter((update) => readReach(update) > last);
    }
    this.staffItems = mergeStaffItems(this.staffItems, staffItems ?? []);
    this.notify();
  }

  private notify(): void {
    if (!this.disposed) {
      this.deps.changed();
    }
  }
}
