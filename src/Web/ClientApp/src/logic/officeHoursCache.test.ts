import { describe, expect, it } from 'vitest';
import type { OfficeHours } from '../types';
import { OfficeHoursCache } from './officeHoursCache';
import { buildOfficeHours } from './testing/builders';

const openUntil = (closesAt: string | null): OfficeHours =>
  buildOfficeHours({ weekly: closesAt ? [{ day: 'thursday', opens: '08:00', closes: '18:00' }] : [], closesAt });

/** A cache on a clock the test moves, counting what it asked the server. */
const setup = (answer: () => Promise<OfficeHours>, start = Date.parse('2026-12-03T10:00:00Z')) => {
  let now = start;
  const asked: string[] = [];
  const cache = new OfficeHoursCache(
    (clinicId) => {
      asked.push(clinicId);
      return answer();
    },
    () => now,
  );
  return { cache, asked, advance: (ms: number) => (now += ms) };
};

describe('OfficeHoursCache', () => {
  it('asks once per clinic within five minutes, and again after', async () => {
    const { cache, asked, advance } = setup(() => Promise.resolve(openUntil(null)));
    await cache.get('c1');
    await cache.get('c1');
    await cache.get('c2');
    expect(asked).toEqual(['c1', 'c2']);

    advance(5 * 60_000);
    await cache.get('c1');
    expect(asked).toEqual(['c1', 'c2', 'c1']);
  });

  it('does not keep "open until 10:02" past 10:02', async () => {
    const { cache, asked, advance } = setup(() => Promise.resolve(openUntil('2026-12-03T10:02:00Z')));
    await cache.get('c1');
    advance(60_000);
    await cache.get('c1');
    expect(asked).toHaveLength(1);

    advance(60_000);
    await cache.get('c1');
    expect(asked).toHaveLength(2);
  });

  it('forgets a failure, so that the next thread open asks again', async () => {
    let fail = true;
    const { cache, asked } = setup(() => (fail ? Promise.reject(new Error('offline')) : Promise.resolve(openUntil(null))));
    await expect(cache.get('c1')).rejects.toThrow('offline');
    fail = false;
    await expect(cache.get('c1')).resolves.toMatchObject({ clinicName: 'Northside' });
    expect(asked).toEqual(['c1', 'c1']);
  });
});
