import type { Message, ReceiptsUpdate, StaffItemPush, TypingUpdate } from '../types';

/** In-page fan-out of hub events to the open thread view, so that views never talk to the hub. */
export class PushBus {
  private readonly messageListeners = new Set<(message: Message) => void>();
  private readonly resyncListeners = new Set<(afterGap: boolean) => void>();
  private readonly receiptListeners = new Set<(update: ReceiptsUpdate) => void>();
  private readonly typingListeners = new Set<(update: TypingUpdate) => void>();
  private readonly presenceListeners = new Set<(conversationId: string, online: boolean) => void>();
  private readonly staffItemListeners = new Set<(push: StaffItemPush) => void>();
  private readonly withdrawnListeners = new Set<(conversationId: string, seq: number) => void>();

  /** A message was withdrawn: the open thread fetches it again. */
  onWithdrawn(listener: (conversationId: string, seq: number) => void): () => void {
    this.withdrawnListeners.add(listener);
    return () => this.withdrawnListeners.delete(listener);
  }

  withdrawn(conversationId: string, seq: number): void {
    this.withdrawnListeners.forEach((listener) => listener(conversationId, seq));
  }

  /** Staff only: a line only staff see was added to a thread (a system line or a note). */
  onStaffItem(listener: (push: StaffItemPush) => void): () => void {
    this.staffItemListeners.add(listener);
    return () => this.staffItemListeners.delete(listener);
  }

  staffItem(push: StaffItemPush): void {
    this.staffItemListeners.forEach((listener) => listener(push));
  }

  onPresence(listener: (conversationId: string, online: boolean) => void): () => void {
    this.presenceListeners.add(listener);
    return () => this.presenceListeners.delete(listener);
  }

  presence(conversationId: string, online: boolean): void {
    this.presenceListeners.forEach((listener) => listener(conversationId, online));
  }

  onReceipts(listener: (update: ReceiptsUpdate) => void): () => void {
    this.receiptListeners.add(listener);
    return () => this.receiptListeners.delete(listener);
  }

  onTyping(listener: (update: TypingUpdate) => void): () => void {
    this.typingListeners.add(listener);
    return () => this.typingListeners.delete(listener);
  }

  receipts(update: ReceiptsUpdate): void {
    this.receiptListeners.forEach((listener) => listener(update));
  }

  typing(update: TypingUpdate): void {
    this.typingListeners.forEach((listener) => listener(update));
  }

  onMessage(listener: (message: Message) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** afterGap: not the connection's first "Subscribed": pushes may have been missed since what is held was fetched. */
  onResync(listener: (afterGap: boolean) => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  message(message: Message): void {
    this.messageListeners.forEach((listener) => listener(message));
  }

  resync(afterGap: boolean): void {
    this.resyncListeners.forEach((listener) => listener(afterGap));
  }
}
