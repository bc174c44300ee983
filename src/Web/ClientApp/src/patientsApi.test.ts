import { describe, expect, it } from 'vitest';
import { birthDate, identifiers } from './patientsApi';

describe('patient identifiers', () => {
  it('shows a date of birth as the calendar day it is, whatever the time zone', () => {
    expect(birthDate('1984-03-07', 'en-GB')).toBe('7 Mar 1984');
  });

  it('joins the date of birth and the MRN, and leaves out what is not known', () => {
    expect(identifiers({ birthDate: '1984-03-07', mrn: 'NS-1001' })).toMatch(/^born .*1984 · MRN NS-1001$/);
    expect(identifiers({ birthDate: null, mrn: 'NS-1001' })).toBe('MRN NS-1001');
    expect(identifiers({ birthDate: null, mrn: null })).toBeNull();
  });
});
