import type { OfficeHours } from '../types';
import { dayStart, utcDay } from './format';
import { weekdays } from './officeHours';

// What a patient reads above the message box about the clinic's hours: open or closed now and until or from when (in
// the patient's own zone and words), the clinic's emergency note, and its week (in the clinic's zone, named). Whether
// the clinic is open is the server's answer (OfficeHoursRules); this only says it.

/** Whose clock and words: the patient's browser's unless given (tests give them). */
export interface Viewer {
  locale?: string;
  timeZone?: string;
}

export interface HoursNotice {
  /** "Northside is closed now. It opens tomorrow at 08:00." or "Open until 18:00."; null when the clinic keeps no hours. */
  state: string | null;
  closed: boolean;
  /** The clinic's own words, as written; null when it has none. */
  emergencyNote: string | null;
  /** The clinic's week for the "Hours" disclosure, Monday first; empty when it keeps no hours. */
  week: { day: string; hours: string }[];
  /** Closures from today on, soonest first, such as "24 Dec – 26 Dec: Christmas". */
  closures: string[];
  /** The zone the week is in (IANA id), named beside it. */
  timeZone: string;
}

/** How many coming closures the week lists: enough for the next holidays without a long list by the message box. */
const closuresListed = 5;

/** The notice, or null when there is nothing to say: no office hours and no emergency note. */
export function hoursNotice(hours: OfficeHours, now: Date, viewer: Viewer = {}): HoursNotice | null {
  const emergencyNote = hours.emergencyNote?.trim() ? hours.emergencyNote.trim() : null;
  const keepsHours = hours.weekly.length > 0;
  if (!keepsHours && !emergencyNote) {
    return null;
  }
  return {
    state: keepsHours ? stateText(hours, now, viewer) : null,
    closed: keepsHours && !hours.openNow,
    emergencyNote,
    week: keepsHours ? weekOf(hours, viewer.locale) : [],
    closures: keepsHours ? comingClosures(hours, now, viewer.locale) : [],
    timeZone: hours.timeZone,
  };
}

function stateText(hours: OfficeHours, now: Date, viewer: Viewer): string | null {
  // Said in the patient's zone; where that is not the clinic's, say so, since the week below is in the clinic's
  // (found on a walk: "opens tomorrow at 02:00 PM" above "Monday 09:00 AM–05:00 PM, America/New_York").
  const yours = sameClock(now, viewer.timeZone, hours.timeZone) ? '' : ' your time';
  if (hours.openNow) {
    return hours.closesAt ? `Open until ${untilText(new Date(hours.closesAt), now, viewer)}${yours}.` : null;
  }
  const closure = hours.closedFor;
  const label = closure?.label?.trim();
  const closed = `${hours.clinicName} is closed now${label ? ` (${label})` : ''}.`;
  if (hours.opensAt) {
    return `${closed} It opens${closure ? ' again' : ''} ${whenText(new Date(hours.opensAt), now, viewer)}${yours}.`;
  }
  // No opening within the year the server looks ahead: the closure's last day is the most there is to say.
  return closure ? `${closed} It opens again after ${dayText(closure.to, viewer.locale)}.` : closed;
}

/** "today at 08:00", "tomorrow at 08:00", "on Monday at 08:00", then "on Monday 5 January at 08:00": in the viewer's zone. */
export function whenText(at: Date, now: Date, viewer: Viewer = {}): string {
  const time = clock(at, viewer);
  const days = dayNumber(at, viewer.timeZone) - dayNumber(now, viewer.timeZone);
  if (days === 0) {
    return `today at ${time}`;
  }
  if (days === 1) {
    return `tomorrow at ${time}`;
  }
  const options: Intl.DateTimeFormatOptions = days > 1 && days < 7 ? { weekday: 'long' } : { weekday: 'long', day: 'numeric', month: 'long' };
  return `on ${at.toLocaleDateString(viewer.locale, { ...options, timeZone: viewer.timeZone })} at ${time}`;
}

/** "18:00" when it is today where the viewer is, else as whenText says it. */
function untilText(at: Date, now: Date, viewer: Viewer): string {
  return dayNumber(at, viewer.timeZone) === dayNumber(now, viewer.timeZone) ? clock(at, viewer) : whenText(at, now, viewer);
}

/** Whether two zones show the same date and time now (the patient's browser's zone when undefined). */
function sameClock(now: Date, zone: string | undefined, other: string): boolean {
  const wall = (timeZone: string | undefined) =>
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
  try {
    return wall(zone) === wall(other);
  } catch {
    // A zone this browser does not know: say nothing rather than something wrong.
    return true;
  }
}

function clock(at: Date, viewer: Viewer): string {
  return at.toLocaleTimeString(viewer.locale, { hour: '2-digit', minute: '2-digit', timeZone: viewer.timeZone });
}

/** The calendar day an instant falls on in a zone, as a count of days (to tell today from tomorrow). */
function dayNumber(at: Date, timeZone: string | undefined): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return dayStart(part('year'), part('month'), part('day'), 'utc').getTime() / 86_400_000;
}

/** A wall time as the clinic wrote it ("08:00"), in the viewer's way of writing times; no zone applies. */
function wallTime(hhmm: string, locale: string | undefined): string {
  const at = new Date(Date.UTC(2000, 0, 1, Number(hhmm.slice(0, 2)), Number(hhmm.slice(3, 5))));
  return at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
}

/** "24 Dec" for a yyyy-MM-dd day: the same day wherever the viewer is. */
function dayText(iso: string, locale: string | undefined): string {
  const at = utcDay(iso);
  return at.toLocaleDateString(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

function weekOf(hours: OfficeHours, locale: string | undefined): HoursNotice['week'] {
  return weekdays.map((weekday, i) => {
    // 1 January 2024 was a Monday: the viewer's name for each weekday.
    const day = new Date(Date.UTC(2024, 0, 1 + i)).toLocaleDateString(locale, { weekday: 'long', timeZone: 'UTC' });
    const openings = hours.weekly.filter((o) => o.day === weekday).sort((a, b) => a.opens.localeCompare(b.opens));
    const text = openings.map((o) => `${wallTime(o.opens, locale)}–${wallTime(o.closes, locale)}`).join(', ');
    return { day, hours: text || 'Closed' };
  });
}

function comingClosures(hours: OfficeHours, now: Date, locale: string | undefined): string[] {
  const today = isoDayIn(now, hours.timeZone);
  return hours.closures
    .filter((c) => c.to >= today)
    .sort((a, b) => a.from.localeCompare(b.from))
    .slice(0, closuresListed)
    .map((c) => {
      const days = c.from === c.to ? dayText(c.from, locale) : `${dayText(c.from, locale)} – ${dayText(c.to, locale)}`;
      return c.label?.trim() ? `${days}: ${c.label.trim()}` : days;
    });
}

/** Today (yyyy-MM-dd) in the clinic's zone; the viewer's when the browser does not know that zone. */
function isoDayIn(now: Date, timeZone: string): string {
  const format = (zone: string | undefined) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  try {
    return format(timeZone);
  } catch {
    return format(undefined);
  }
}

/** When the answer stops being true by itself: the clinic closes or opens (null: it foretells no change). */
export function nextChangeAt(hours: OfficeHours): number | null {
  const at = [hours.closesAt, hours.opensAt].filter((t): t is string => !!t).map((t) => Date.parse(t));
  return at.length > 0 ? Math.min(...at) : null;
}

/**
 * How long an open thread waits before asking again, so "Open until 18:00" does not outlive 18:00: just after the
 * change, but never sooner than half a minute (a clock a little ahead of the server's would otherwise ask in a loop)
 * nor later than the answer stays fresh (new hours, a closure or an emergency note the clinic set meanwhile reach a
 * patient who keeps the thread open within that; there is no push to every patient of a clinic).
 */
export function recheckInMs(hours: OfficeHours, now: number, freshForMs: number): number {
  const change = nextChangeAt(hours);
  return change === null ? freshForMs : Math.min(Math.max(change - now + 1_000, 30_000), freshForMs);
}
