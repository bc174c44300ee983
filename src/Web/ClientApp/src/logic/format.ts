/** "14:05" today, "Mon" this week, "12 Mar" otherwise: compact times for the sidebar. */
export function shortTime(iso: string, now: Date = new Date(), locale?: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === now.toDateString();
  if (sameDay) {
    return date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  }
  const ageDays = (now.getTime() - date.getTime()) / 86_400_000;
  if (ageDays < 6) {
    return date.toLocaleDateString(locale, { weekday: 'short' });
  }
  return date.toLocaleDateString(locale, { day: 'numeric', month: 'short' });
}

export function clockTime(iso: string, locale?: string): string {
  return new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

/**
 * "at 14:05" on the local day of `reference`, "on 3 Dec at 09:12" a later day, "on 3 Dec 2027 at 09:12" in another
 * year: when something happened, told against the day of what it followed (a read against its message's day).
 */
export function atTimeFrom(iso: string, reference: string, locale?: string): string {
  const date = new Date(iso);
  const day = new Date(reference);
  const time = `at ${clockTime(iso, locale)}`;
  if (date.toDateString() === day.toDateString()) {
    return time;
  }
  const sameYear = date.getFullYear() === day.getFullYear();
  return `on ${date.toLocaleDateString(locale, sameYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' })} ${time}`;
}

/** "3 Dec 2026", in local time: the day an invoice was issued or a prescription written. */
export function calendarDate(iso: string, locale?: string): string {
  return new Date(iso).toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric' });
}

/**
 * "15 Jan 2015" for a calendar date sent without a time ("2015-01-15"): the same day in every time zone. Formatting it
 * as an instant would show the day before west of UTC.
 */
export function calendarDay(day: string, locale?: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year!, (month ?? 1) - 1, date ?? 1)).toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** A card's date: its calendar day when only a date was sent, else the instant in local time. */
export function recordDate(instant: string | null | undefined, day: string | null | undefined, locale?: string): string | null {
  return day ? calendarDay(day, locale) : instant ? calendarDate(instant, locale) : null;
}

/** "Thu, 3 Dec 2026", in local time: the day of an appointment, with its weekday. */
export function longDate(iso: string, locale?: string): string {
  return new Date(iso).toLocaleDateString(locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
}
