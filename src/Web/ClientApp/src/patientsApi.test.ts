import { afterEach, describe, expect, it, vi } from 'vitest';
import { birthDate, identifiers } from './patientsApi';

describe('patient identifiers', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('shows a date of birth as the calendar day it is, whatever the time zone', () => {
    expect(birthDate('1984-03-07', 'en-GB')).toBe('7 Mar 1984');
  });

  it('shows a date of birth of any year as that year, 0001 to 0099 included', () => {
    vi.stubEnv('TZ', 'America/New_York');
    expect(['0001-03-07', '0099-03-07', '1900-03-07', '2026-03-07'].map((day) => birthDate(day, 'en-GB'))).toEqual([
      '7 Mar 1',
      '7 Mar 99',
      '7 Mar 1900',
      '7 Mar 2026',
    ]);
  });

  it('joins the date of birth and the MRN, and leaves out what is not known', () => {
    expect(identifiers({ birthDate: '1984-03-07', mrn: 'NS-1001' })).toMatch(/^born .*1984 · MRN NS-1001$/);
    expect(identifiers({ birthDate: null, mrn: 'NS-1001' })).toBe('MRN NS-1001');
    expect(identifiers({ birthDate: null, mrn: null })).toBeNull();
  });
});
