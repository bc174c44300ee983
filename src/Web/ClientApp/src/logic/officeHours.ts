import { ApiError } from '../api';
import type { Closure, OfficeHours, OfficeHoursRequest, OpeningHours, Weekday } from '../types';
import { utcDay } from './format';
import { refusalOf } from './quickReplies';

// An Admin's office hours form: the server's answer as rows to edit, the rows back as the request, and hints that say
// beside a field what the server would refuse (so an Admin fixes it before saving). The server decides every rule; the
// limits here mirror ClinicProfileRules and only choose what to say.

export const weekdays: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** As ClinicProfileRules. */
export const limits = {
  openingsPerDay: 3,
  closures: 60,
  closureDays: 366,
  closureYearsFromToday: 10,
  closureLabelLength: 80,
  afterHoursReplyLength: 1000,
  emergencyNoteLength: 300,
  replyTargetMinutes: { min: 15, max: 5 * 24 * 60 },
} as const;

/** "Monday": the page is in English, like the rest of the staff UI. */
export function dayName(day: Weekday): string {
  return day.charAt(0).toUpperCase() + day.slice(1);
}

/** One opening being edited: HH:mm as an <input type="time"> gives it ("" while cleared). */
export interface OpeningRow {
  key: string;
  opens: string;
  closes: string;
}

/** One closure being edited: yyyy-MM-dd as an <input type="date"> gives it ("" while cleared). */
export interface ClosureRow {
  key: string;
  from: string;
  to: string;
  label: string;
}

export interface OfficeHoursForm {
  timeZone: string;
  /** Every weekday, Monday first; no rows is closed all day. */
  days: Record<Weekday, OpeningRow[]>;
  closures: ClosureRow[];
  afterHoursReply: string;
  emergencyNote: string;
  /** The reply target in office hours, as the number input gives it ("8", "0.25"; "" while cleared). */
  replyTargetHours: string;
  /** Email the assignee (or the clinic's clinicians and front desk) when a patient waits past the reply target. */
  emailWhenOverdue: boolean;
  /**
   * What the server's answer holds beyond what this form edits and the "now" it reports: sent back as it came. The PUT
   * is everything at once, so a setting the server adds before this form shows it (a field it would otherwise reset to
   * its default) survives a save here.
   */
  kept: Readonly<Record<string, unknown>>;
}

/** The answer's fields that describe the moment it was given, not the clinic's settings: never sent back. */
const reportedNow = ['clinicName', 'openNow', 'closesAt', 'opensAt', 'closedFor'];
const edited = ['timeZone', 'weekly', 'closures', 'afterHoursReply', 'emergencyNote', 'replyTargetMinutes', 'emailWhenOverdue'];

/** Keys for new rows: they only tell rows apart while the form is open (focus, rendering), so a counter does. */
export type NewKey = () => string;
let keys = 0;
const nextKey: NewKey = () => `row-${++keys}`;

/** The server's hours as a form: openings by day in time order, closures by their first day. */
export function formOf(hours: OfficeHours, newKey: NewKey = nextKey): OfficeHoursForm {
  const days = Object.fromEntries(weekdays.map((day) => [day, [] as OpeningRow[]])) as Record<Weekday, OpeningRow[]>;
  for (const opening of [...hours.weekly].sort((a, b) => a.opens.localeCompare(b.opens))) {
    days[opening.day]?.push({ key: newKey(), opens: opening.opens, closes: opening.closes });
  }
  return {
    timeZone: hours.timeZone,
    days,
    closures: [...hours.closures]
      .sort((a, b) => a.from.localeCompare(b.from))
      .map((closure) => ({ key: newKey(), from: closure.from, to: closure.to, label: closure.label ?? '' })),
    afterHoursReply: hours.afterHoursReply ?? '',
    emergencyNote: hours.emergencyNote ?? '',
    replyTargetHours: hoursOf(hours.replyTargetMinutes),
    emailWhenOverdue: hours.emailWhenOverdue,
    kept: Object.fromEntries(Object.entries(hours).filter(([name]) => !reportedNow.includes(name) && !edited.includes(name))),
  };
}

/**
 * "8" for 480 minutes, "1.5" for 90: the server keeps whole minutes, the form shows hours to two decimals at most, which
 * turn back into the same minutes (an odd target set elsewhere, 50 minutes, reads "0.83" and is saved as 50 again).
 */
export function hoursOf(minutes: number): string {
  return String(Math.round((minutes / 60) * 100) / 100);
}

/** The reply target field in whole minutes, as the server takes it; null when it is not a number. */
export function replyTargetMinutesOf(hours: string): number | null {
  const value = hours.trim() === '' ? NaN : Number(hours);
  return Number.isFinite(value) ? Math.round(value * 60) : null;
}

/**
 * The form as the server takes it, everything at once: blank texts are none (null), labels and texts trimmed, the rest as
 * it came. Meant for a form without hints (the reply target a number): a target that is none would be the server's default.
 */
export function requestOf(form: OfficeHoursForm): OfficeHoursRequest {
  const weekly: OpeningHours[] = weekdays.flatMap((day) =>
    [...form.days[day]].sort((a, b) => a.opens.localeCompare(b.opens)).map(({ opens, closes }) => ({ day, opens, closes })),
  );
  const closures: Closure[] = form.closures.map(({ from, to, label }) => ({ from, to, label: label.trim() || null }));
  return {
    ...form.kept,
    timeZone: form.timeZone.trim(),
    weekly,
    closures,
    afterHoursReply: form.afterHoursReply.trim() || null,
    emergencyNote: form.emergencyNote.trim() || null,
    replyTargetMinutes: replyTargetMinutesOf(form.replyTargetHours),
    emailWhenOverdue: form.emailWhenOverdue,
  };
}

const hhmm = /^\d\d:\d\d$/;
const isoDate = /^\d{4}-\d\d-\d\d$/;
const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const timeOf = (total: number) => `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
const endOfDay = minutes('23:59');

/**
 * The opening an "Add opening" button adds. On a closed day: the first opening of the nearest open day before it (a
 * week's days are mostly alike), else 09:00–17:00. After openings: from an hour after the last one closes, for four hours.
 */
export function openingToAdd(form: OfficeHoursForm, day: Weekday): { opens: string; closes: string } {
  const rows = form.days[day].filter((row) => hhmm.test(row.closes));
  if (rows.length > 0) {
    const lastCloses = Math.max(...rows.map((row) => minutes(row.closes)));
    const opens = Math.min(lastCloses + 60, endOfDay - 1);
    return { opens: timeOf(opens), closes: timeOf(Math.min(opens + 4 * 60, endOfDay)) };
  }
  const index = weekdays.indexOf(day);
  for (let back = 1; back < weekdays.length; back++) {
    const earlier = form.days[weekdays[(index - back + weekdays.length) % weekdays.length]!][0];
    if (earlier) {
      return { opens: earlier.opens, closes: earlier.closes };
    }
  }
  return { opens: '09:00', closes: '17:00' };
}

export function addOpening(form: OfficeHoursForm, day: Weekday, newKey: NewKey = nextKey): { form: OfficeHoursForm; key: string } {
  const key = newKey();
  return { form: { ...form, days: { ...form.days, [day]: [...form.days[day], { key, ...openingToAdd(form, day) }] } }, key };
}

export function changeOpening(form: OfficeHoursForm, day: Weekday, key: string, change: Partial<Omit<OpeningRow, 'key'>>): OfficeHoursForm {
  return { ...form, days: { ...form.days, [day]: form.days[day].map((row) => (row.key === key ? { ...row, ...change } : row)) } };
}

/** Removing a day's last opening closes the day. */
export function removeOpening(form: OfficeHoursForm, day: Weekday, key: string): OfficeHoursForm {
  return { ...form, days: { ...form.days, [day]: form.days[day].filter((row) => row.key !== key) } };
}

/** A new closure is one day, today (yyyy-MM-dd as the browser sees it): the Admin moves the dates from there. */
export function addClosure(form: OfficeHoursForm, today: string, newKey: NewKey = nextKey): { form: OfficeHoursForm; key: string } {
  const key = newKey();
  return { form: { ...form, closures: [...form.closures, { key, from: today, to: today, label: '' }] }, key };
}

export function changeClosure(form: OfficeHoursForm, key: string, change: Partial<Omit<ClosureRow, 'key'>>): OfficeHoursForm {
  return { ...form, closures: form.closures.map((row) => (row.key === key ? { ...row, ...change } : row)) };
}

export function removeClosure(form: OfficeHoursForm, key: string): OfficeHoursForm {
  return { ...form, closures: form.closures.filter((row) => row.key !== key) };
}

/** "2026-12-24" in the browser's own calendar: the day a new closure starts on. */
export function isoDay(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** What the server would refuse, said beside the field it is about; a field without a problem has none. */
export interface OfficeHoursHints {
  timeZone: string | null;
  /** By opening row key: a time missing, or closing before it opens. */
  openings: Map<string, string>;
  /** By day: two of its openings overlap. */
  days: Map<Weekday, string>;
  /** By closure row key: a date missing, the dates reversed or too far apart (dates), or the label too long (label). */
  closures: Map<string, { part: 'dates' | 'label'; message: string }>;
  /** More closures than the server keeps. */
  closureCount: string | null;
  afterHoursReply: string | null;
  emergencyNote: string | null;
  replyTarget: string | null;
}

const dayNumber = (iso: string) => utcDay(iso).getTime() / 86_400_000;
const tooLong = (text: string, max: number, what: string) =>
  text.trim().length > max ? `${what} is at most ${max} characters (now ${text.trim().length}).` : null;

/** The same day of the month <paramref>years</paramref> later (earlier when negative), as yyyy-MM-dd: compared as text. */
function yearsFrom(iso: string, years: number): string {
  return `${String(Number(iso.slice(0, 4)) + years).padStart(4, '0')}${iso.slice(4)}`;
}

/** `today` is the browser's (yyyy-MM-dd); the server judges the 10 years from its own, a day either side at most. */
export function hintsOf(form: OfficeHoursForm, today: string = isoDay(new Date())): OfficeHoursHints {
  const openings = new Map<string, string>();
  const days = new Map<Weekday, string>();
  for (const weekday of weekdays) {
    const rows = form.days[weekday];
    for (const row of rows) {
      if (!hhmm.test(row.opens) || !hhmm.test(row.closes)) {
        openings.set(row.key, 'Enter when it opens and when it closes.');
      } else if (row.closes === row.opens) {
        openings.set(row.key, 'It opens and closes at the same time: enter when it closes.');
      } else if (row.closes < row.opens) {
        openings.set(row.key, 'It closes before it opens. An opening ends the same day: use 23:59 for midnight.');
      }
    }
    const timed = rows.filter((row) => !openings.has(row.key)).sort((a, b) => a.opens.localeCompare(b.opens));
    if (timed.some((row, i) => i > 0 && row.opens < timed[i - 1]!.closes)) {
      days.set(weekday, `Two openings on ${dayName(weekday)} overlap.`);
    } else if (rows.length > limits.openingsPerDay) {
      days.set(weekday, `A day has at most ${limits.openingsPerDay} openings.`);
    }
  }

  const closures: OfficeHoursHints['closures'] = new Map();
  for (const row of form.closures) {
    const dates = !isoDate.test(row.from) || !isoDate.test(row.to)
      ? 'Enter the first and the last day closed.'
      : row.to < row.from
        ? 'The last day is before the first.'
        : dayNumber(row.to) - dayNumber(row.from) >= limits.closureDays
          ? `A closure lasts at most ${limits.closureDays} days.`
          : row.from < yearsFrom(today, -limits.closureYearsFromToday) || row.to > yearsFrom(today, limits.closureYearsFromToday)
            ? `Check the year: a closure's days are within ${limits.closureYearsFromToday} years of today.`
            : null;
    const label = tooLong(row.label, limits.closureLabelLength, 'The label');
    if (dates || label) {
      closures.set(row.key, dates ? { part: 'dates', message: dates } : { part: 'label', message: label! });
    }
  }

  return {
    timeZone: form.timeZone.trim() ? null : 'Enter a time zone, such as Europe/Berlin.',
    openings,
    days,
    closures,
    closureCount: form.closures.length > limits.closures ? `At most ${limits.closures} closures: remove past ones.` : null,
    afterHoursReply: tooLong(form.afterHoursReply, limits.afterHoursReplyLength, 'The automatic reply'),
    emergencyNote: tooLong(form.emergencyNote, limits.emergencyNoteLength, 'The emergency note'),
    replyTarget: replyTargetHint(form.replyTargetHours),
  };
}

function replyTargetHint(hours: string): string | null {
  const minutes = replyTargetMinutesOf(hours);
  const { min, max } = limits.replyTargetMinutes;
  if (minutes === null) {
    return 'Enter the reply target in office hours, such as 8.';
  }
  return minutes < min || minutes > max ? `The reply target is between ${min / 60} and ${max / 60} office hours.` : null;
}

export function hasHints(hints: OfficeHoursHints): boolean {
  return (
    hints.timeZone !== null ||
    hints.openings.size > 0 ||
    hints.days.size > 0 ||
    hints.closures.size > 0 ||
    hints.closureCount !== null ||
    hints.afterHoursReply !== null ||
    hints.emergencyNote !== null ||
    hints.replyTarget !== null
  );
}

/** The fields the server names in its refusals, each shown beside its own part of the form. */
export type OfficeHoursField = 'timeZone' | 'weekly' | 'closures' | 'afterHoursReply' | 'emergencyNote' | 'replyTargetMinutes';
const fields: readonly string[] = ['timeZone', 'weekly', 'closures', 'afterHoursReply', 'emergencyNote', 'replyTargetMinutes'] satisfies OfficeHoursField[];

/** A refusal shown beside the field it names, or above the Save button when it names none. */
export interface OfficeHoursRefusal {
  field: OfficeHoursField | null;
  message: string;
}

/** The server's refusal, in its own words where it has them (as a quick reply's or the phone's, but for what is missing). */
export function officeHoursRefusal(caught: unknown, fallback: string): OfficeHoursRefusal {
  if (caught instanceof ApiError && caught.code === 'not_found') {
    return { field: null, message: 'This clinic is not one whose settings you may change.' };
  }
  const { field, message } = refusalOf(caught, fallback);
  return { field: field && fields.includes(field) ? (field as OfficeHoursField) : null, message };
}

/** The part of the form each field the server may refuse stands for. */
const formPartOf: Record<OfficeHoursField, (form: OfficeHoursForm) => unknown> = {
  timeZone: (form) => form.timeZone,
  weekly: (form) => form.days,
  closures: (form) => form.closures,
  afterHoursReply: (form) => form.afterHoursReply,
  emergencyNote: (form) => form.emergencyNote,
  replyTargetMinutes: (form) => form.replyTargetHours,
};

/**
 * Whether the server's refusal still describes the form after an edit: only while what it refused is unchanged. A
 * refusal kept after its field was fixed stood beside the corrected value and, still marking the field invalid, drew the
 * next Save's focus there instead of to what was wrong now (found on a walk). One that names no field ("try again") was
 * about the attempt, not a value: any edit ends it.
 */
export function refusalStands(refusal: OfficeHoursRefusal, before: OfficeHoursForm, after: OfficeHoursForm): boolean {
  if (refusal.field === null) {
    return false;
  }
  const part = formPartOf[refusal.field];
  return JSON.stringify(part(before)) === JSON.stringify(part(after));
}

/**
 * Time zones to suggest: every zone the browser knows (Intl.supportedValuesOf, where there is one), else a short list of
 * common ones. Only suggestions: the field takes any IANA id, and the server decides.
 */
export function timeZoneSuggestions(supportedValuesOf: typeof Intl.supportedValuesOf | undefined = Intl.supportedValuesOf): string[] {
  try {
    const zones = supportedValuesOf?.call(Intl, 'timeZone');
    if (zones && zones.length > 0) {
      // Some browsers leave out UTC itself; a clinic may well be set to it.
      return zones.includes('UTC') ? zones : ['UTC', ...zones];
    }
  } catch {
    // An older browser: the short list below.
  }
  return commonTimeZones;
}

const commonTimeZones = [
  'UTC',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Lisbon',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Amsterdam',
  'Europe/Brussels',
  'Europe/Zurich',
  'Europe/Vienna',
  'Europe/Madrid',
  'Europe/Rome',
  'Europe/Stockholm',
  'Europe/Oslo',
  'Europe/Copenhagen',
  'Europe/Helsinki',
  'Europe/Warsaw',
  'Europe/Prague',
  'Europe/Athens',
  'Europe/Istanbul',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'America/Toronto',
  'America/Vancouver',
  'America/Mexico_City',
  'America/Sao_Paulo',
  'Pacific/Honolulu',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Australia/Perth',
  'Pacific/Auckland',
];
