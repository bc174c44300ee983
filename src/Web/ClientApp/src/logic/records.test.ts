import { afterEach, describe, expect, it, vi } from 'vitest';
import { recordDate } from './format';
import type { PatientRecord } from '../types';
import {
  appointmentTime,
  cardFields,
  cardName,
  cardState,
  formatMoney,
  humaniseStatus,
  matchShortcuts,
  recordListLabel,
  recordLabel,
  recordSearchTip,
  noRecordsText,
  recordSummary,
} from './records';

const at = (hour: number, minute = 0) => new Date(2026, 11, 3, hour, minute).toISOString();

const appointment = (version = 1, status = 'booked'): PatientRecord => ({
  id: 'appt-1',
  kind: 'appointment',
  version,
  updatedAt: '2026-11-25T10:00:00Z',
  withdrawn: false,
  appointment: { start: at(9, 30), end: at(10), provider: 'Dr Lee', location: 'Room 2', status, description: 'Check-up' },
  invoice: null,
  prescription: null,
});

const invoice = (overrides: Partial<NonNullable<PatientRecord['invoice']>> = {}): PatientRecord => ({
  id: 'inv-1',
  kind: 'invoice',
  version: 1,
  updatedAt: '2026-11-25T10:00:00Z',
  withdrawn: false,
  appointment: null,
  invoice: { number: 'INV-0042', date: at(12), amount: 120.5, currency: 'EUR', balance: 0, status: 'balanced', ...overrides },
  prescription: null,
});

const prescription = (refills: number | null): PatientRecord => ({
  id: 'rx-1',
  kind: 'prescription',
  version: 1,
  updatedAt: '2026-11-25T10:00:00Z',
  withdrawn: false,
  appointment: null,
  invoice: null,
  prescription: { medication: 'Amoxicillin 500 mg', instructions: 'One capsule three times a day', prescriber: 'Dr Lee', date: at(12), refills, status: 'active', reported: false },
});

describe('shortcut filtering', () => {
  it('narrows the commands as the user types', () => {
    expect(matchShortcuts('/').map((s) => s.command)).toEqual(['/appt', '/invoice', '/rx']);
    expect(matchShortcuts('/a').map((s) => s.command)).toEqual(['/appt']);
    expect(matchShortcuts('/in').map((s) => s.command)).toEqual(['/invoice']);
    expect(matchShortcuts('/rx').map((s) => s.command)).toEqual(['/rx']);
    expect(matchShortcuts('/RX').map((s) => s.command)).toEqual(['/rx']);
  });

  it('finds a command by the word it stands for', () => {
    expect(matchShortcuts('/pres').map((s) => s.command)).toEqual(['/rx']);
  });

  it('matches nothing for other words, so they stay plain text', () => {
    expect(matchShortcuts('/zz')).toEqual([]);
    expect(matchShortcuts('/apptx')).toEqual([]);
    expect(matchShortcuts('appt')).toEqual([]);
  });
});

describe('changed since sent', () => {
  it('shows the snapshot until the current state arrives', () => {
    expect(cardState(appointment(1), null, false)).toEqual({ shown: appointment(1), changed: false, asSent: false, withdrawn: false });
  });

  it('says a record entered in error was withdrawn, and shows the patient nothing of it', () => {
    const forPatient: PatientRecord = { ...appointment(2), appointment: null, withdrawn: true };
    const forStaff: PatientRecord = { ...appointment(2, 'entered-in-error'), withdrawn: true };
    expect(cardState(appointment(1), forPatient, false)).toEqual({ shown: forPatient, changed: false, asSent: false, withdrawn: true });
    expect(cardFields(forPatient)).toEqual([]);
    expect(cardState(forPatient, null, false).withdrawn).toBe(true);
    expect(cardFields(cardState(appointment(1), forStaff, false).shown, 'en-GB').map((f) => f.value)).toContain('Entered in error');
  });

  it('lists an invoice\'s items and its net total, a requested period, and a reported medicine as such', () => {
    const itemised = invoice({ amount: 119, net: 100, lines: [{ description: 'Check-up', amount: 80 }, { description: 'X-ray', amount: 20 }, { description: 'Fluoride', amount: null }] });
    expect(cardFields(itemised, 'en-GB').filter((f) => ['Items', 'Net', 'Amount'].includes(f.label))).toEqual([
      { label: 'Items', value: 'Check-up: €80.00\nX-ray: €20.00\nFluoride' },
      { label: 'Net', value: '€100.00' },
      { label: 'Amount', value: '€119.00' },
    ]);
    const proposed: PatientRecord = { ...appointment(1, 'proposed'), appointment: { ...appointment().appointment!, start: null, end: null, status: 'proposed', requestedFrom: '2016-06-02', requestedTo: '2016-06-09' } };
    expect(cardFields(proposed, 'en-GB')[0]).toEqual({ label: 'Requested', value: '2 Jun 2016 – 9 Jun 2016' });
    const reported: PatientRecord = { ...prescription(null), prescription: { ...prescription(null).prescription!, prescriber: null, reported: true } };
    expect(recordLabel(reported)).toBe('Reported medicine');
    expect(recordLabel(prescription(null))).toBe('Prescription');
    expect(cardFields(reported, 'en-GB').map((f) => f.label)).toEqual(['Medication', 'Source', 'Instructions', 'Date', 'Status']);
  });

  it('shows why a record was cancelled', () => {
    const cancelled: PatientRecord = { ...appointment(2, 'cancelled'), appointment: { ...appointment().appointment!, status: 'cancelled', statusReason: 'Dr Lee is ill' } };
    expect(cardFields(cancelled, 'en-GB').slice(-2)).toEqual([
      { label: 'Status', value: 'Cancelled' },
      { label: 'Reason', value: 'Dr Lee is ill' },
    ]);
  });

  it('shows the current state, marked when its version differs from the one sent', () => {
    const now = appointment(2, 'cancelled');
    expect(cardState(appointment(1), now, false)).toEqual({ shown: now, changed: true, asSent: false, withdrawn: false });
    expect(cardState(appointment(1), appointment(1), false).changed).toBe(false);
  });

  it('keeps the snapshot, unmarked, when the record can no longer be seen', () => {
    expect(cardState(appointment(1), null, true)).toEqual({ shown: appointment(1), changed: false, asSent: true, withdrawn: false });
  });
});

describe('card formatting', () => {
  it('writes amounts in the invoice currency', () => {
    expect(formatMoney(120.5, 'EUR', 'en-GB')).toBe('€120.50');
    expect(formatMoney(1234, 'USD', 'en-US')).toBe('$1,234.00');
    expect(formatMoney(10, null, 'en-GB')).toBe('10.00');
    expect(formatMoney(10, 'not-a-code', 'en-GB')).toBe('10.00 not-a-code');
  });

  it('humanises FHIR status codes, and calls a balanced invoice paid', () => {
    expect(humaniseStatus('appointment', 'booked')).toBe('Booked');
    expect(humaniseStatus('appointment', 'checked-in')).toBe('Checked in');
    expect(humaniseStatus('appointment', 'noshow')).toBe('No-show');
    expect(humaniseStatus('invoice', 'balanced')).toBe('Paid');
    expect(humaniseStatus('invoice', 'issued')).toBe('Issued');
    expect(humaniseStatus('prescription', 'on-hold')).toBe('On hold');
  });

  it('writes an appointment time in local time, with the end when it is the same day', () => {
    expect(appointmentTime(at(9, 30), at(10), 'en-GB')).toBe('Thu, 3 Dec 2026, 09:30–10:00');
    expect(appointmentTime(at(9, 30), null, 'en-GB')).toBe('Thu, 3 Dec 2026, 09:30');
    expect(appointmentTime(null, null, 'en-GB')).toBeNull();
  });

  it('lists each kind’s fields and leaves out the missing ones', () => {
    expect(cardFields(appointment(), 'en-GB')).toEqual([
      { label: 'When', value: 'Thu, 3 Dec 2026, 09:30–10:00' },
      { label: 'What', value: 'Check-up' },
      { label: 'With', value: 'Dr Lee' },
      { label: 'Where', value: 'Room 2' },
      { label: 'Status', value: 'Booked' },
    ]);
    expect(cardFields(invoice({ number: null }), 'en-GB')).toEqual([
      { label: 'Date', value: '3 Dec 2026' },
      { label: 'Amount', value: '€120.50' },
      { label: 'Balance', value: '€0.00' },
      { label: 'Status', value: 'Paid' },
    ]);
    expect(cardFields(prescription(0), 'en-GB')).toContainEqual({ label: 'Refills', value: 'None' });
    expect(cardFields(prescription(2), 'en-GB')).toContainEqual({ label: 'Refills', value: '2' });
    expect(cardFields(prescription(null), 'en-GB').map((f) => f.label)).toEqual(['Medication', 'Instructions', 'Prescriber', 'Date', 'Status']);
  });

  it('names cards, lists and chips so that they can be told apart', () => {
    expect(cardName('prescription')).toBe('Prescription card');
    expect(recordListLabel('appointment')).toBe('Appointments');
    expect(recordListLabel('prescription', 'ibu')).toBe('Prescriptions matching “ibu”');
    expect(noRecordsText('invoice')).toBe('No invoices');
    expect(recordSearchTip('prescription', '/rx')).toBe('Type after the command to search, e.g. “/rx ibu”.');
    expect(new Set((['appointment', 'invoice', 'prescription'] as const).map((kind) => recordSearchTip(kind, '/x'))).size).toBe(3);
    expect(noRecordsText('invoice', 'x')).toBe('No invoices match “x”');
    expect(recordSummary(invoice(), 'en-GB')).toBe('INV-0042 · 3 Dec 2026 · €120.50 · Paid');
    expect(recordSummary(appointment(), 'en-GB')).toBe('Thu, 3 Dec 2026, 09:30–10:00 · Dr Lee · Booked');
  });
});

describe('record dates', () => {
  // Node reads the TZ variable again on each change: each case runs in the zone it names.
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('shows a date sent without a time as that day west and east of UTC', () => {
    for (const tz of ['America/New_York', 'Europe/Berlin', 'Pacific/Auckland']) {
      vi.stubEnv('TZ', tz);
      expect(recordDate('2015-01-15T00:00:00+00:00', '2015-01-15', 'en-GB')).toBe('15 Jan 2015');
    }
  });

  it('shows an instant in the local zone when a time was sent', () => {
    vi.stubEnv('TZ', 'America/New_York');
    expect(recordDate('2015-01-16T03:30:00+00:00', null, 'en-GB')).toBe('15 Jan 2015');
    expect(recordDate(null, null, 'en-GB')).toBeNull();
  });
});
