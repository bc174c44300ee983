import type { Message } from '../types';

/** In-page fan-out of hub events to the open thread view, so that views never talk to the hub. */
export class PushBus {
  private readonly messageListeners = new Set<(message: Message) => void>();
  private readonly resyncListeners = new Set<() => void>();

  onMessage(listener: (message: Message) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  message(message: Message): void {
    this.messageListeners.forEach((listener) => listener(message));
  }

  resync(): void {
    this.resyncListeners.forEach((listener) => listener());
  }
}
