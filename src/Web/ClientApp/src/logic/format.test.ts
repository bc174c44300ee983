import { afterEach, describe, expect, it, vi } from 'vitest';
import { clockTime, dateFormat, shortTime } from './format';

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
