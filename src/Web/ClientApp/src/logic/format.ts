/**
 * A kept Intl.DateTimeFormat per locale for one style. toLocaleTimeString and toLocaleDateString build a formatter on
 * every call (the most expensive part of formatting), and the sidebar and the thread format a time for each row they
 * render. A formatter keeps the time zone it was built in, so the kept ones are dropped when the device's offset from
 * UTC changes (a move to another zone; a change of daylight saving time costs one rebuild).
 */
export function dateFormat(options: Intl.DateTimeFormatOptions): (locale?: string) => Intl.DateTimeFormat {
  const byLocale = new Map<string | undefined, Intl.DateTimeFormat>();
  let builtAtOffset = new Date().getTimezoneOffset();
  return (locale) => {
    const offset = new Date().getTimezoneOffset();
    if (offset !== builtAtOffset) {
      byLocale.clear();
      builtAtOffset = offset;
    }
    let format = byLocale.get(locale);
    if (!format) {
      format = new Intl.DateTimeFormat(locale, options);
      byLocale.set(locale, format);
    }
    return format;
  };
}

const hourMinute = dateFormat({ hour: '2-digit', minute: '2-digit' });
const shortWeekday = dateFormat({ weekday: 'short' });
const dayMonth = dateFormat({ day: 'numeric', month: 'short' });
export const dayMonthYear = dateFormat({ day: 'numeric', month: 'short', year: 'numeric' });
const weekdayDayMonthYear = dateFormat({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

/** "14:05" today, "Mon" this week, "12 Mar" otherwise: compact times for the sidebar. */
export function shortTime(iso: string, now: Date = new Date(), locale?: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === now.toDateString();
  if (sameDay) {
    return hourMinute(locale).format(date);
  }
  const ageDays = (now.getTime() - date.getTime()) / 86_400_000;
  if (ageDays < 6) {
    return shortWeekday(locale).format(date);
  }
  return dayMonth(locale).format(date);
}

export function clockTime(iso: string, locale?: string): string {
  // A time never breaks across lines ("08:44" at the end of one, "AM" alone on the next, as a phone's banner showed).
  return hourMinute(locale).format(new Date(iso)).replace(/\s/g, '\u00a0');
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
  return `on ${(sameYear ? dayMonth : dayMonthYear)(locale).format(date)} ${time}`;
}

/** "3 Dec 2026", in local time: the day an invoice was issued or a prescription written. */
export function calendarDate(iso: string, locale?: string): string {
  return dayMonthYear(locale).format(new Date(iso));
}

/**
 * The midnight that starts a calendar day (month 1 to 12), in the browser's zone or in UTC. Every date made from a
 * year, month and day goes through here: `new Date(year, month, day)` and `Date.UTC(year, month, day)` read years 0 to
 * 99 as 1900 to 1999 (a date picker's 0001-01-01 became 1901-01-01), setFullYear does not.
 */
export function dayStart(year: number, month: number, day: number, zone: 'local' | 'utc'): Date {
  const start = new Date(0);
  if (zone === 'utc') {
    start.setUTCFullYear(year, month - 1, day);
  } else {
    start.setFullYear(year, month - 1, day);
    start.setHours(0, 0, 0, 0);
  }
  return start;
}

/** The UTC midnight of a YYYY-MM-DD day (a closure's day, an office-hours date): read with {@link dayStart}, any year. */
export function utcDay(iso: string): Date {
  return dayStart(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)), 'utc');
}

/**
 * "15 Jan 2015" for a calendar date sent without a time ("2015-01-15"): the same day in every time zone. Formatting it
 * as an instant would show the day before west of UTC.
 */
export function calendarDay(day: string, locale?: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return dayStart(year!, month ?? 1, date ?? 1, 'utc').toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** A card's date: its calendar day when only a date was sent, else the instant in local time. */
export function recordDate(instant: string | null | undefined, day: string | null | undefined, locale?: string): string | null {
  return day ? calendarDay(day, locale) : instant ? calendarDate(instant, locale) : null;
}

/** "Thu, 3 Dec 2026", in local time: the day of an appointment, with its weekday. */
export function longDate(iso: string, locale?: string): string {
  return weekdayDayMonthYear(locale).format(new Date(iso));
}
