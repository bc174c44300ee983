import { describe, expect, it, vi } from 'vitest';
import type { PatientRecord } from '../types';
import { RecordCache } from './recordCache';

const record = (id: string, version: number): PatientRecord => ({
  id,
  kind: 'prescription',
  version,
  updatedAt: '2026-11-25T10:00:00Z',
  withdrawn: false,
  appointment: null,
  invoice: null,
  prescription: { medication: 'Amoxicillin', instructions: null, prescriber: null, date: null, refills: null, status: version > 1 ? 'stopped' : 'active', reported: false },
});

/** A fetcher whose answers the test releases one by one. */
function server() {
  const calls: { id: string; resolve: (a: PatientRecord | null) => void; reject: (e: unknown) => void }[] = [];
  const fetch = vi.fn(
    (id: string) =>
      new Promise<PatientRecord | null>((resolve, reject) => {
        calls.push({ id, resolve, reject });
      }),
  );
  return { fetch, calls };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('RecordCache', () => {
  it('fetches a record once however many cards show it, and tells each card when it arrives', async () => {
    const { fetch, calls } = server();
    const store = new RecordCache(fetch);
    const first = vi.fn();
    const second = vi.fn();
    store.watch('rx', first);
    store.watch('rx', second);
    expect(store.current('rx')).toBeNull();

    calls[0]!.resolve(record('rx', 1));
    await settled();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(store.current('rx')?.version).toBe(1);
    expect(first).toHaveBeenCalled();
    expect(second).toHaveBeenCalled();

    store.watch('rx', () => undefined);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('refetches a shown record when the hub says it changed, keeping the old state on screen meanwhile', async () => {
    const { fetch, calls } = server();
    const store = new RecordCache(fetch);
    store.watch('rx', () => undefined);
    calls[0]!.resolve(record('rx', 1));
    await settled();

    store.updated('rx', 1);
    expect(fetch).toHaveBeenCalledTimes(1);

    store.updated('rx', 2);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(store.current('rx')?.version).toBe(1);
    calls[1]!.resolve(record('rx', 2));
    await settled();
    expect(store.current('rx')?.version).toBe(2);
  });

  it('drops an answer overtaken by a newer fetch', async () => {
    const { fetch, calls } = server();
    const store = new RecordCache(fetch);
    store.watch('rx', () => undefined);
    store.updated('rx', 2);
    calls[1]!.resolve(record('rx', 2));
    calls[0]!.resolve(record('rx', 1));
    await settled();
    expect(store.current('rx')?.version).toBe(2);
  });

  it('forgets a changed record no card shows, so the next card fetches it fresh', async () => {
    const { fetch, calls } = server();
    const store = new RecordCache(fetch);
    const stop = store.watch('rx', () => undefined);
    calls[0]!.resolve(record('rx', 1));
    await settled();
    stop();

    store.updated('rx', 2);
    expect(store.current('rx')).toBeNull();
    store.watch('rx', () => undefined);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('marks a record it may no longer see as gone, so cards keep their snapshot', async () => {
    const { fetch, calls } = server();
    const store = new RecordCache(fetch);
    store.watch('rx', () => undefined);
    calls[0]!.resolve(null);
    await settled();
    expect(store.isGone('rx')).toBe(true);
    expect(store.current('rx')).toBeNull();
  });

  it('tries again after a transient failure when a card next shows the record', async () => {
    const { fetch, calls } = server();
    const store = new RecordCache(fetch);
    store.watch('rx', () => undefined)();
    calls[0]!.reject(new Error('offline'));
    await settled();
    expect(store.isGone('rx')).toBe(false);

    store.watch('rx', () => undefined);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('refetches the shown records after a reconnect, when pushes may have been missed', async () => {
    const { fetch, calls } = server();
    const store = new RecordCache(fetch);
    store.watch('shown', () => undefined);
    store.prime(record('listed', 1));
    calls[0]!.resolve(record('shown', 1));
    await settled();

    store.refreshAll();
    expect(fetch.mock.calls.map(([id]) => id)).toEqual(['shown', 'shown']);
    expect(store.current('listed')).toBeNull();
  });

  it('takes primed records as current without fetching them, unless it knows a newer version', () => {
    const { fetch } = server();
    const store = new RecordCache(fetch);
    store.prime(record('rx', 2));
    store.watch('rx', () => undefined);
    expect(fetch).not.toHaveBeenCalled();
    store.prime(record('rx', 1));
    expect(store.current('rx')?.version).toBe(2);
  });
});
