import { describe, expect, it, vi } from 'vitest';
import type { FilledQuickReply } from '../types';
import { QuickReplyCache } from './quickReplyCache';

const filled = (text: string): FilledQuickReply[] => [{ id: 'r1', shortcut: 'greet', personal: false, text, unfilled: [] }];

/** A cache on a clock the test moves by hand. */
const cacheAt = () => {
  let now = 0;
  return { cache: new QuickReplyCache(() => now, 1000), advance: (ms: number) => (now += ms) };
};

describe('the filled quick replies per thread', () => {
  it('are fetched once per thread while fresh, even while the first answer is on its way', async () => {
    const { cache } = cacheAt();
    const fetch = vi.fn(() => Promise.resolve(filled('Hi Robin')));
    const first = cache.get('t1', fetch);
    const second = cache.get('t1', fetch);
    expect(await first).toEqual(filled('Hi Robin'));
    expect(await second).toEqual(filled('Hi Robin'));
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('are kept apart per thread: each thread\'s patient has their own', async () => {
    const { cache } = cacheAt();
    expect(await cache.get('t1', () => Promise.resolve(filled('Hi Robin')))).toEqual(filled('Hi Robin'));
    expect(await cache.get('t2', () => Promise.resolve(filled('Hi Ada')))).toEqual(filled('Hi Ada'));
    expect(await cache.get('t1', () => Promise.resolve(filled('never asked')))).toEqual(filled('Hi Robin'));
  });

  it('are fetched again once stale, so a changed reply or clinic phone shows', async () => {
    const { cache, advance } = cacheAt();
    await cache.get('t1', () => Promise.resolve(filled('Call {clinic.phone}')));
    advance(999);
    expect(await cache.get('t1', () => Promise.resolve(filled('too early')))).toEqual(filled('Call {clinic.phone}'));
    advance(1);
    expect(await cache.get('t1', () => Promise.resolve(filled('Call (201) 555-0123')))).toEqual(filled('Call (201) 555-0123'));
  });

  it('are asked for again after a failure rather than keeping it', async () => {
    const { cache } = cacheAt();
    await expect(cache.get('t1', () => Promise.reject(new Error('offline')))).rejects.toThrow('offline');
    expect(await cache.get('t1', () => Promise.resolve(filled('Hi Robin')))).toEqual(filled('Hi Robin'));
  });
});
