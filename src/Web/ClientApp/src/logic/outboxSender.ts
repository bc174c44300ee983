import { isDefinitive, retryDelayMs, type Outbox, type OutboxItem } from './outbox';

/** Runs a task while holding a named lock that every tab of this browser shares (the Web Locks API). */
export type ExclusiveRunner = (name: string, task: () => Promise<void>) => Promise<void>;

export interface OutboxSenderDeps<Stored> {
  outbox: Outbox;
  conversationId: string;
  /** Sends one message; rejects with something that has a status when the server refused it. */
  send: (item: OutboxItem) => Promise<Stored>;
  /** The lock name is per user and thread, so two tabs never send one thread's queue at the same time. */
  lockName: string;
  exclusive: ExclusiveRunner;
  /** Called after each change to the queue (sent, refused) so the view can show it. */
  changed: (sent?: { item: OutboxItem; stored: Stored }) => void;
  /** Why the server refused a message for good, as the view shows it. */
  failureText: (error: unknown) => string;
  /** Back-off between tries of the same message; ends early when woken. */
  delayMs?: (attempt: number) => number;
}

/**
 * Sends one thread's queued messages one at a time, oldest first: the head is retried (same client
 * id, so the server stores it once) until the server takes or refuses it, and nothing behind it goes
 * first. What a person typed in order is stored in that order, even when the network came back for
 * several queued messages at once. The queue is re-read from storage before every send, so a reload or
 * another tab that drained part of it is seen; the per-thread lock keeps two tabs from racing.
 * A message refused for good (4xx) is marked failed and no longer holds up the ones behind it: it is
 * the user's to retry or discard, and blocking on it would stop the thread until they did.
 */
export class OutboxSender<Stored> {
  private running = false;
  private again = false;
  private disposed = false;
  private wakeUp: (() => void) | null = null;

  constructor(private readonly deps: OutboxSenderDeps<Stored>) {}

  /** Something was queued, or the network came back: send now (a back-off wait ends at once). */
  kick(): void {
    if (this.disposed) {
      return;
    }
    this.wake();
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.deps
      .exclusive(this.deps.lockName, () => this.drain())
      .catch(() => undefined)
      .finally(() => {
        this.running = false;
        if (this.again && !this.disposed) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Stops after the send in flight (if any); what is left stays queued for the next visit or tab. */
  dispose(): void {
    this.disposed = true;
    this.wake();
  }

  private wake(): void {
    const wake = this.wakeUp;
    this.wakeUp = null;
    wake?.();
  }

  private head(): OutboxItem | undefined {
    return this.deps.outbox.forConversation(this.deps.conversationId).find((item) => item.failure === null);
  }

  private async drain(): Promise<void> {
    let attempt = 0;
    for (let item = this.head(); item && !this.disposed; item = this.head()) {
      this.again = false;
      try {
        const stored = await this.deps.send(item);
        this.deps.outbox.remove(item.clientMessageId);
        attempt = 0;
        this.deps.changed({ item, stored });
      } catch (caught) {
        if (isRefusal(caught)) {
          this.deps.outbox.fail(item.clientMessageId, this.deps.failureText(caught));
          attempt = 0;
          this.deps.changed();
        } else {
          // Offline, a timeout or a server hiccup: wait, then try the same head again.
          await this.pause((this.deps.delayMs ?? retryDelayMs)(attempt));
          attempt += 1;
        }
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function isRefusal(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && isDefinitive(status);
}

/**
 * The browser's Web Locks (shared by all tabs of one origin); where they are missing (an old browser or
 * an insecure origin) the task runs unlocked, which still keeps one tab's queue in order.
 */
export const browserLocks: ExclusiveRunner = async (name, task) => {
  if (typeof navigator !== 'undefined' && navigator.locks) {
    await navigator.locks.request(name, () => task());
  } else {
    await task();
  }
};
