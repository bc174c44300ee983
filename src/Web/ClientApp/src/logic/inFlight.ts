/**
 * The API requests still on their way. Signing out waits for them first: the session they were sent with ends with
 * the sign-out, so a request the server reads after it is refused (401) — a message sent a moment before would be
 * lost, and the page would report an error for nothing. Bounded: a request that hangs does not keep the session open.
 */
export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  /** Keeps the request until it settles, whichever way; returns it unchanged. */
  track<T>(request: Promise<T>): Promise<T> {
    this.pending.add(request);
    const forget = () => this.pending.delete(request);
    request.then(forget, forget);
    return request;
  }

  get count(): number {
    return this.pending.size;
  }

  /** Resolves once every request on its way now has settled, or after `timeoutMs`, whichever comes first. Never rejects. */
  settled(timeoutMs: number): Promise<void> {
    if (this.pending.size === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void Promise.allSettled([...this.pending]).then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
