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
  paletteKeyAction,
  paletteView,
  recordListLabel,
  recordLabel,
  noRecordsText,
  recordSummary,
  replaceToken,
  slashTokenAt,
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

describe('the slash word under the caret', () => {
  it('is found at the start of the draft or after whitespace', () => {
    expect(slashTokenAt('/ap', 3)).toEqual({ start: 0, end: 3, text: '/ap' });
    expect(slashTokenAt('See you\n/inv', 12)).toEqual({ start: 8, end: 12, text: '/inv' });
    expect(slashTokenAt('See /appt today', 7)).toEqual({ start: 4, end: 9, text: '/appt' });
  });

  it('is not found inside other words, paths and links, or with the caret before the slash', () => {
    expect(slashTokenAt('1/2', 3)).toBeNull();
    expect(slashTokenAt('and/or', 6)).toBeNull();
    expect(slashTokenAt('/a/b', 4)).toBeNull();
    expect(slashTokenAt('https://example.org', 19)).toBeNull();
    expect(slashTokenAt('/appt', 0)).toBeNull();
    expect(slashTokenAt('/appt ', 6)).toBeNull();
  });

  it('is replaced by the chosen command, or removed with the space after it', () => {
    const token = slashTokenAt('See /a today', 6)!;
    expect(replaceToken('See /a today', token, '/appt')).toEqual({ text: 'See /appt today', caret: 9 });
    expect(replaceToken('See /appt today', slashTokenAt('See /appt today', 9)!, '')).toEqual({ text: 'See today', caret: 4 });
    expect(replaceToken('/appt', slashTokenAt('/appt', 5)!, '')).toEqual({ text: '', caret: 0 });
  });
});

describe('paletteView', () => {
  it('lists the matching commands, and closes when none match', () => {
    expect(paletteView('/in', 3, null, null)).toMatchObject({ stage: 'commands', matches: [{ command: '/invoice' }] });
    expect(paletteView('/zz', 3, null, null)).toEqual({ stage: 'closed' });
    expect(paletteView('hello', 5, null, null)).toEqual({ stage: 'closed' });
  });

  it('lists records once a command is chosen, and goes back to commands when the word is edited', () => {
    const chosen = { start: 0, kind: 'appointment' as const };
    expect(paletteView('/appt', 5, null, chosen)).toMatchObject({ stage: 'records', shortcut: { kind: 'appointment' } });
    expect(paletteView('/app', 4, null, chosen)).toMatchObject({ stage: 'commands' });
  });

  it('searches the records with the words typed after the chosen command, on its line', () => {
    const chosen = { start: 4, kind: 'prescription' as const };
    const text = 'See /rx ibu 4';
    expect(paletteView(text, text.length, null, chosen)).toEqual({
      stage: 'records',
      token: { start: 4, end: text.length, text: '/rx ibu 4' },
      shortcut: expect.objectContaining({ kind: 'prescription' }),
      query: 'ibu 4',
    });
    expect(paletteView('See /rx ', 8, null, chosen)).toMatchObject({ stage: 'records', query: '' });
    expect(paletteView('See /rx\nibu', 11, null, chosen)).toEqual({ stage: 'closed' });
    expect(paletteView('See /rxibu', 10, null, chosen)).toEqual({ stage: 'closed' });
    expect(paletteView('See /rx ibu', 11, 4, chosen)).toEqual({ stage: 'closed' });
  });

  it('stays closed after Escape until that word is gone', () => {
    expect(paletteView('/ap', 3, 0, null)).toEqual({ stage: 'closed' });
    expect(paletteView('x /ap', 5, 0, null)).toMatchObject({ stage: 'commands' });
  });
});

describe('palette keys', () => {
  const key = (k: string, extra: { shiftKey?: boolean; isComposing?: boolean } = {}) => ({ key: k, ...extra });

  it('moves with the arrows and wraps around at both ends', () => {
    expect(paletteKeyAction(key('ArrowDown'), 0, 3)).toEqual({ type: 'move', active: 1 });
    expect(paletteKeyAction(key('ArrowDown'), 2, 3)).toEqual({ type: 'move', active: 0 });
    expect(paletteKeyAction(key('ArrowUp'), 0, 3)).toEqual({ type: 'move', active: 2 });
    expect(paletteKeyAction(key('ArrowUp'), 0, 0)).toEqual({ type: 'move', active: 0 });
  });

  it('chooses on Enter instead of sending, even when there is nothing to choose', () => {
    expect(paletteKeyAction(key('Enter'), 1, 3)).toEqual({ type: 'choose', index: 1 });
    expect(paletteKeyAction(key('Enter'), 5, 3)).toEqual({ type: 'choose', index: 2 });
    expect(paletteKeyAction(key('Enter'), 0, 0)).toEqual({ type: 'none' });
  });

  it('closes on Escape and leaves other keys, Shift+Enter and IME composition to the textarea', () => {
    expect(paletteKeyAction(key('Escape'), 0, 3)).toEqual({ type: 'close' });
    expect(paletteKeyAction(key('a'), 0, 3)).toBeNull();
    expect(paletteKeyAction(key('Enter', { shiftKey: true }), 0, 3)).toBeNull();
    expect(paletteKeyAction(key('Enter', { isComposing: true }), 0, 3)).toBeNull();
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
