/** A message the user sent that the server has not confirmed yet. */
export interface OutboxItem {
  clientMessageId: string;
  conversationId: string;
  text: string;
  /** Already uploaded; only their ids wait here. */
  attachmentIds?: string[];
  /** The records it refers to (only ids: the cards' content is fetched again, not kept in storage). */
  recordIds?: string[];
  /** Marked sensitive when queued; kept so that a retry (even after a reload) sends it sensitive too. Absent on items queued before the flag existed. */
  sensitive?: boolean;
  createdAt: string;
  /** Why the server refused it for good; null while it is still being sent. */
  failure: string | null;
}

/**
 * Unsent messages, kept in localStorage so that a reload or a crash loses nothing: each is retried
 * with its original clientMessageId, so the server stores it once however often it is sent.
 */
export class Outbox {
  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'>,
    private readonly key: string,
  ) {}

  all(): OutboxItem[] {
    try {
      const parsed: unknown = JSON.parse(this.storage.getItem(this.key) ?? '[]');
      return Array.isArray(parsed) ? (parsed as StoredItem[]).map(fromStorage) : [];
    } catch {
      return [];
    }
  }

  forConversation(conversationId: string): OutboxItem[] {
    return this.all().filter((item) => item.conversationId === conversationId);
  }

  add(item: OutboxItem): void {
    this.save([...this.all().filter((i) => i.clientMessageId !== item.clientMessageId), item]);
  }

  remove(clientMessageId: string): void {
    this.save(this.all().filter((i) => i.clientMessageId !== clientMessageId));
  }

  fail(clientMessageId: string, failure: string): void {
    this.save(this.all().map((i) => (i.clientMessageId === clientMessageId ? { ...i, failure } : i)));
  }

  retry(clientMessageId: string): void {
    this.save(this.all().map((i) => (i.clientMessageId === clientMessageId ? { ...i, failure: null } : i)));
  }

  private save(items: OutboxItem[]): void {
    this.storage.setItem(this.key, JSON.stringify(items));
  }
}

/** An item as an earlier build may have stored it: record ids were called artifactIds then. */
type StoredItem = OutboxItem & { artifactIds?: string[] };

/** Items queued before the rename still send their cards after an upgrade. */
function fromStorage({ artifactIds, ...item }: StoredItem): OutboxItem {
  return artifactIds && !item.recordIds ? { ...item, recordIds: artifactIds } : item;
}

/**
 * Whether an error answer means "never": retrying the same request cannot succeed. Not a 401: the session ended, the app
 * goes back to sign-in, and the same message goes out once this user is signed in again (the outbox is theirs alone).
 */
export function isDefinitive(status: number): boolean {
  return status >= 400 && status < 500 && status !== 401 && status !== 408 && status !== 429;
}

/** Wait before the next try: 1 s, 2 s, 4 s … capped at 30 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(1000 * 2 ** attempt, 30_000);
}
