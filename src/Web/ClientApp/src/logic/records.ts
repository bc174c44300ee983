import type { PatientRecord, RecordKind } from '../types';
import { calendarDay, clockTime, longDate, recordDate } from './format';

// The composer's record commands (/appt, /invoice, /rx) and the record cards in the thread. The palette that offers
// the commands (and the user's quick replies) decides what it shows in logic/palette.

export interface Shortcut {
  command: string;
  kind: RecordKind;
  /** What choosing it does, shown next to the command. */
  hint: string;
  /** Other words that find it while filtering, so /pres finds /rx. */
  aliases: readonly string[];
}

export const shortcuts: readonly Shortcut[] = [
  { command: '/appt', kind: 'appointment', hint: 'Attach an appointment', aliases: ['/appointment'] },
  { command: '/invoice', kind: 'invoice', hint: 'Attach an invoice', aliases: ['/bill'] },
  { command: '/rx', kind: 'prescription', hint: 'Attach a prescription', aliases: ['/prescription'] },
];

export function shortcutFor(kind: RecordKind): Shortcut {
  return shortcuts.find((s) => s.kind === kind)!;
}

/** The shortcuts a typed "/word" could mean, by prefix of the command or an alias; "/" alone lists all. */
export function matchShortcuts(query: string): Shortcut[] {
  const typed = query.toLowerCase();
  if (!typed.startsWith('/')) {
    return [];
  }
  return shortcuts.filter((s) => [s.command, ...s.aliases].some((name) => name.startsWith(typed)));
}

/** Longest search typed after a command; the server refuses longer ones. */
export const maxRecordQueryLength = 100;

const kindLabels: Record<RecordKind, { one: string; many: string }> = {
  appointment: { one: 'Appointment', many: 'appointments' },
  invoice: { one: 'Invoice', many: 'invoices' },
  prescription: { one: 'Prescription', many: 'prescriptions' },
};

export function kindLabel(kind: RecordKind): string {
  return kindLabels[kind].one;
}

/** What a card is headed: its kind, or "Reported medicine" for a medicine someone reported rather than the clinic prescribed. */
export function recordLabel(record: PatientRecord): string {
  return record.kind === 'prescription' && record.prescription?.reported ? 'Reported medicine' : kindLabel(record.kind);
}

/** "2 Jun 2016 – 9 Jun 2016" for a requested period of calendar days; one end alone when the other is open. */
export function dayRange(from: string | null | undefined, to: string | null | undefined, locale?: string): string | null {
  if (!from && !to) {
    return null;
  }
  if (from && to) {
    return from === to ? calendarDay(from, locale) : `${calendarDay(from, locale)} – ${calendarDay(to, locale)}`;
  }
  return from ? `From ${calendarDay(from, locale)}` : `Until ${calendarDay(to!, locale)}`;
}

/** The name of a card in the thread, for assistive technology: "Appointment card". */
export function cardName(kind: RecordKind): string {
  return `${kindLabels[kind].one} card`;
}

/**
 * The palette's name while it lists records: "Appointments" (upcoming first, then recent), or with a search
 * "Appointments matching “flu”".
 */
export function recordListLabel(kind: RecordKind, query = ''): string {
  const many = kindLabels[kind].many;
  const name = many[0]!.toUpperCase() + many.slice(1);
  return query ? `${name} matching “${query}”` : name;
}

/** A word a search of each kind finds (the words searched: RecordSearch on the server), for the palette's tip. */
const searchExamples: Record<RecordKind, string> = { appointment: 'cleaning', invoice: 'paid', prescription: 'ibu' };

/** The palette's tip while it lists a kind's records: "Type after the command to search, e.g. “/rx ibu”." */
export function recordSearchTip(kind: RecordKind, command: string): string {
  return `Type after the command to search, e.g. “${command} ${searchExamples[kind]}”.`;
}

export function noRecordsText(kind: RecordKind, query = ''): string {
  return query ? `No ${kindLabels[kind].many} match “${query}”` : `No ${kindLabels[kind].many}`;
}

/** A FHIR status code for people: "booked" → "Booked", "entered-in-error" → "Entered in error"; a balanced invoice is "Paid". */
export function humaniseStatus(kind: RecordKind, status: string): string {
  if (kind === 'invoice' && status === 'balanced') {
    return 'Paid';
  }
  if (status === 'noshow') {
    return 'No-show';
  }
  const words = status.replace(/[-_]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'Unknown';
}

/** "€120.50" in the invoice's currency; an unknown or missing currency shows the bare number with its code. */
export function formatMoney(amount: number, currency: string | null, locale?: string): string {
  if (currency) {
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
    } catch {
      // Not an ISO 4217 code the browser knows: fall through to the plain number.
    }
  }
  const number = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount);
  return currency ? `${number} ${currency}` : number;
}

/** "Thu, 3 Dec 2026, 09:30–10:00" in local time; the end only when it is the same day. */
export function appointmentTime(start: string | null, end: string | null, locale?: string): string | null {
  if (!start) {
    return null;
  }
  const from = `${longDate(start, locale)}, ${clockTime(start, locale)}`;
  return end && new Date(end).toDateString() === new Date(start).toDateString() ? `${from}–${clockTime(end, locale)}` : from;
}

export interface CardField {
  label: string;
  value: string;
}

/** What a card lists, in order; fields the record does not have are left out. */
export function cardFields(record: PatientRecord, locale?: string): CardField[] {
  const fields: [string, string | null][] = [];
  if (record.kind === 'appointment' && record.appointment) {
    const a = record.appointment;
    fields.push(
      ['When', appointmentTime(a.start, a.end, locale)],
      ['Requested', dayRange(a.requestedFrom, a.requestedTo, locale)],
      ['What', a.description],
      ['With', a.provider],
      ['Where', a.location],
      ['Status', humaniseStatus('appointment', a.status)],
      ['Reason', a.statusReason ?? null],
    );
  } else if (record.kind === 'invoice' && record.invoice) {
    const i = record.invoice;
    fields.push(
      ['Number', i.number],
      ['Date', recordDate(i.date, i.day, locale)],
      ['Items', (i.lines ?? []).map((line) => (line.amount === null || line.amount === undefined ? line.description : `${line.description}: ${formatMoney(line.amount, i.currency, locale)}`)).join('\n')],
      ['Net', i.net === null || i.net === undefined ? null : formatMoney(i.net, i.currency, locale)],
      ['Amount', i.amount === null ? null : formatMoney(i.amount, i.currency, locale)],
      ['Balance', i.balance === null ? null : formatMoney(i.balance, i.currency, locale)],
      ['Status', humaniseStatus('invoice', i.status)],
      ['Reason', i.statusReason ?? null],
    );
  } else if (record.kind === 'prescription' && record.prescription) {
    const p = record.prescription;
    fields.push(
      ['Medication', p.medication],
      ['Source', p.reported ? 'Reported, not prescribed by the clinic' : null],
      ['Instructions', p.instructions],
      ['Prescriber', p.prescriber],
      ['Date', recordDate(p.date, p.day, locale)],
      ['Refills', p.refills === null ? null : p.refills === 0 ? 'None' : String(p.refills)],
      ['Status', humaniseStatus('prescription', p.status)],
      ['Reason', p.statusReason ?? null],
    );
  }
  return fields.filter((f): f is [string, string] => f[1] !== null && f[1] !== '').map(([label, value]) => ({ label, value }));
}

/** One line that tells records of a kind apart, for the palette's options and the composer's chips. */
export function recordSummary(record: PatientRecord, locale?: string): string {
  const parts: (string | null)[] = [];
  if (record.kind === 'appointment' && record.appointment) {
    const a = record.appointment;
    parts.push(appointmentTime(a.start, a.end, locale) ?? a.description, a.provider, humaniseStatus('appointment', a.status));
  } else if (record.kind === 'invoice' && record.invoice) {
    const i = record.invoice;
    parts.push(i.number, recordDate(i.date, i.day, locale), i.amount === null ? null : formatMoney(i.amount, i.currency, locale), humaniseStatus('invoice', i.status));
  } else if (record.kind === 'prescription' && record.prescription) {
    const p = record.prescription;
    parts.push(p.medication, recordDate(p.date, p.day, locale), humaniseStatus('prescription', p.status));
  }
  return parts.filter((part): part is string => !!part).join(' · ');
}

export interface CardState {
  /** What the card shows: the record as it is now once known, else as it was sent. */
  shown: PatientRecord;
  /** The record changed after the message was sent ("Changed since sent"). */
  changed: boolean;
  /** The current state cannot be had (no longer visible): the card shows the snapshot and says so. */
  asSent: boolean;
  /**
   * The clinic's system withdrew the record (entered in error). Staff still see what it said; the patient's copy
   * comes without details, so the card shows none.
   */
  withdrawn: boolean;
}

/** How a card sent as `sent` appears, given what is known of its current state. */
export function cardState(sent: PatientRecord, current: PatientRecord | null, gone: boolean): CardState {
  // The patient's copy of a message says so itself when the record was withdrawn before the page was fetched.
  const latest = (gone ? null : current) ?? sent;
  if (latest.withdrawn) {
    return { shown: latest, changed: false, asSent: false, withdrawn: true };
  }
  if (gone || current === null) {
    return { shown: sent, changed: false, asSent: gone, withdrawn: false };
  }
  return { shown: current, changed: current.version !== sent.version, asSent: false, withdrawn: false };
}

export const withdrawnText = 'This record was withdrawn: the clinic entered it in error.';
