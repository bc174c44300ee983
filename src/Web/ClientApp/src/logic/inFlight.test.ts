import { afterEach, describe, expect, it, vi } from 'vitest';
import { InFlight } from './inFlight';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('requests in flight', () => {
  afterEach(() => vi.useRealTimers());

  it('is settled at once when nothing is on its way', async () => {
    await expect(new InFlight().settled(1_000)).resolves.toBeUndefined();
  });

  it('waits for every request on its way, answered or refused', async () => {
    const inFlight = new InFlight();
    const answered = deferred<string>();
    const refused = deferred<string>();
    inFlight.track(answered.promise);
    void inFlight.track(refused.promise).catch(() => undefined);
    let settled = false;
    void inFlight.settled(60_000).then(() => (settled = true));

    answered.resolve('ok');
    await flush();
    expect(settled).toBe(false);
    expect(inFlight.count).toBe(1);

    refused.reject(new Error('401'));
    await flush();
    expect(settled).toBe(true);
    expect(inFlight.count).toBe(0);
  });

  it('gives up on a request that hangs after the time allowed', async () => {
    vi.useFakeTimers();
    const inFlight = new InFlight();
    inFlight.track(new Promise(() => undefined));
    let settled = false;
    void inFlight.settled(3_000).then(() => (settled = true));

    await vi.advanceTimersByTimeAsync(2_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
  });

  it('returns the request it tracks unchanged', async () => {
    const inFlight = new InFlight();
    await expect(inFlight.track(Promise.resolve(7))).resolves.toBe(7);
    await expect(inFlight.track(Promise.reject(new Error('no')))).rejects.toThrow('no');
  });
});
