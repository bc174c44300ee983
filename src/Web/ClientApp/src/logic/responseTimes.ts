import { ApiError } from '../api';
import type { ResponseReport, ResponseStats } from '../types';

// The Admin's weekly report of response times: what its cells say. The server measures (office minutes, nearest-rank
// percentiles, weeks from Monday in the clinic's zone); this only words it and marks what passed the reply target.

/** How many weeks the report can show; the server takes 1 to 52. */
export const weekChoices = [4, 12, 26] as const;
export const defaultWeeks = 12;

const hour = 60;
const day = 24 * hour;

/**
 * "45 min", "3 h 10 min", "1 d 2 h": office time to the nearest minute, or to the nearest hour once it runs to days
 * (minutes no longer matter there). A day is 24 office hours, as the server's minutes add up. "—" when there is none.
 */
export function officeDuration(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) {
    return '—';
  }
  const whole = Math.round(minutes);
  if (whole < hour) {
    return `${whole} min`;
  }
  if (whole < day) {
    const rest = whole % hour;
    return rest ? `${Math.floor(whole / hour)} h ${rest} min` : `${whole / hour} h`;
  }
  const hours = Math.round(whole / hour);
  const rest = hours % 24;
  return rest ? `${Math.floor(hours / 24)} d ${rest} h` : `${hours / 24} d`;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "30 Nov 2026" for the week's Monday (yyyy-MM-dd): a calendar day, the same wherever the Admin's browser is. */
export function weekLabel(weekStart: string): string {
  const [year, month, date] = weekStart.split('-').map(Number);
  return `${date} ${months[(month ?? 1) - 1]} ${year}`;
}

/** "Target: a person answers within 8 office hours." (a target of whole hours), else "within 1 h 30 min of office time". */
export function targetSentence(targetMinutes: number): string {
  const within =
    targetMinutes % hour === 0 ? `${targetMinutes / hour} office ${targetMinutes === hour ? 'hour' : 'hours'}` : `${officeDuration(targetMinutes)} of office time`;
  return `Target: a person answers within ${within}.`;
}

/** A median or percentile as the table shows it, and whether it is past the target (said in words beside it). */
export interface DurationCell {
  text: string;
  none: boolean;
  overTarget: boolean;
}

export interface ReportRow {
  weekStart: string;
  week: string;
  firstReply: { count: number; median: DurationCell; p90: DurationCell; overTarget: number };
  resolution: { count: number; median: DurationCell; p90: DurationCell };
}

const cell = (minutes: number | null, target: number | null): DurationCell => ({
  text: officeDuration(minutes),
  none: minutes === null,
  overTarget: minutes !== null && target !== null && minutes > target,
});

/**
 * The report's weeks as rows, newest first as the server sends them. Only first answers are held against the target: it
 * is a reply target ("a person answers within …"), and a resolution (the thread marked done) may rightly take longer.
 * Past it means longer than it, as the server counts overTarget.
 */
export function reportRows(report: ResponseReport): ReportRow[] {
  return report.weeks.map(({ weekStart, firstReply, resolution }) => ({
    weekStart,
    week: weekLabel(weekStart),
    firstReply: {
      count: firstReply.count,
      median: cell(firstReply.medianMinutes, report.targetMinutes),
      p90: cell(firstReply.p90Minutes, report.targetMinutes),
      overTarget: firstReply.overTarget,
    },
    resolution: { count: resolution.count, median: cell(resolution.medianMinutes, null), p90: cell(resolution.p90Minutes, null) },
  }));
}

/** Whether anything was measured in the weeks shown (a new clinic's report is all empty weeks). */
export function hasMeasurements(report: ResponseReport): boolean {
  const measured = (stats: ResponseStats) => stats.count > 0;
  return report.weeks.some((week) => measured(week.firstReply) || measured(week.resolution));
}

/** Why the report is not shown: the server's words for a refusal (Admins only), else a plain failure. */
export function responseTimesError(caught: unknown): string {
  if (caught instanceof ApiError && (caught.code === 'forbidden' || caught.code === 'validation_failed')) {
    return caught.message;
  }
  if (caught instanceof ApiError && caught.code === 'not_found') {
    return 'This clinic is not one whose response times you may see.';
  }
  return 'The response times could not be loaded. Try again later.';
}
