import { afterEach, describe, expect, it, vi } from 'vitest';
import { calendarDay, clockTime, dateFormat, dayStart, shortTime } from './format';

describe('kept date formatters', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('keep one formatter per locale and style', () => {
    const format = dateFormat({ hour: '2-digit', minute: '2-digit' });
    expect(format('en-GB')).toBe(format('en-GB'));
    expect(format('en-US')).not.toBe(format('en-GB'));
  });

  it('keep a time on one line: its parts are joined by no-break spaces', () => {
    vi.stubEnv('TZ', 'UTC');
    const time = clockTime('2026-12-06T20:44:00Z', 'en-US');
    expect(time).toMatch(/^0?8:44\u00a0PM$/);
  });

  it('format in the zone the device is in now, not the one the formatter was built in', () => {
    vi.stubEnv('TZ', 'UTC');
    expect(clockTime('2026-12-06T10:30:00Z', 'en-GB')).toBe('10:30');
    vi.stubEnv('TZ', 'America/New_York');
    expect(clockTime('2026-12-06T10:30:00Z', 'en-GB')).toBe('05:30');
    expect(shortTime('2026-12-06T03:30:00Z', new Date('2026-12-06T12:00:00Z'), 'en-GB')).toBe('Sat');
  });
});

describe('calendar days from a year, month and day', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  // Years 0 to 99 are where `new Date(year, …)` and `Date.UTC(year, …)` go wrong (they add 1900).
  const days: [number, number, number][] = [[1, 1, 1], [99, 12, 31], [1900, 2, 28], [2026, 12, 7]];

  it('start at local midnight of that very day, years 0001 to 0099 included', () => {
    vi.stubEnv('TZ', 'America/New_York');
    for (const [year, month, day] of days) {
      const start = dayStart(year, month, day, 'local');
      expect([start.getFullYear(), start.getMonth() + 1, start.getDate(), start.getHours(), start.getMinutes()]).toEqual([year, month, day, 0, 0]);
    }
  });

  it('start at midnight UTC of that very day, years 0001 to 0099 included', () => {
    expect(days.map(([year, month, day]) => dayStart(year, month, day, 'utc').toISOString())).toEqual([
      '0001-01-01T00:00:00.000Z',
      '0099-12-31T00:00:00.000Z',
      '1900-02-28T00:00:00.000Z',
      '2026-12-07T00:00:00.000Z',
    ]);
  });

  it('are shown as the day sent, whatever its year', () => {
    vi.stubEnv('TZ', 'America/New_York');
    expect(['0001-01-01', '0099-12-31', '1900-02-28', '2026-12-07'].map((day) => calendarDay(day, 'en-GB'))).toEqual([
      '1 Jan 1',
      '31 Dec 99',
      '28 Feb 1900',
      '7 Dec 2026',
    ]);
  });
});
