import type { FilledQuickReply } from '../types';

/** Fetches the user's quick replies filled in for one thread's patient. */
export type FetchFilledReplies = () => Promise<FilledQuickReply[]>;

interface Entry {
  answer: Promise<FilledQuickReply[]>;
  askedAt: number;
}

/**
 * The quick replies filled in for each thread, asked for when the palette first opens there and kept for a while,
 * so that typing "/" again in the same thread (or coming back to it) lists them at once. After freshForMs they are
 * asked for again: a colleague may have changed the clinic's replies, an Admin its phone. Memory only, and stale
 * threads are forgotten: the text holds the patient's first name.
 */
export class QuickReplyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly freshForMs = 2 * 60_000,
  ) {}

  /** The thread's replies: the answer asked for within freshForMs (even one still on its way), else a new one. */
  get(threadId: string, fetch: FetchFilledReplies): Promise<FilledQuickReply[]> {
    this.forgetStale();
    const known = this.entries.get(threadId);
    if (known) {
      return known.answer;
    }
    const answer = fetch();
    this.entries.set(threadId, { answer, askedAt: this.now() });
    // A failure is not kept: the next time the palette opens asks again.
    answer.catch(() => {
      if (this.entries.get(threadId)?.answer === answer) {
        this.entries.delete(threadId);
      }
    });
    return answer;
  }

  private forgetStale(): void {
    const now = this.now();
    for (const [threadId, entry] of this.entries) {
      if (now - entry.askedAt >= this.freshForMs) {
        this.entries.delete(threadId);
      }
    }
  }
}
