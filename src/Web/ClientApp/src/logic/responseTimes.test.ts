import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import type { ResponseReport, ResponseStats, ResponseWeek } from '../types';
import { hasMeasurements, officeDuration, reportRows, responseTimesError, targetSentence, weekLabel } from './responseTimes';

const none: ResponseStats = { count: 0, medianMinutes: null, p90Minutes: null, overTarget: 0 };
const stats = (count: number, medianMinutes: number, p90Minutes: number, overTarget = 0): ResponseStats => ({ count, medianMinutes, p90Minutes, overTarget });
const week = (weekStart: string, firstReply: ResponseStats = none, resolution: ResponseStats = none): ResponseWeek => ({ weekStart, firstReply, resolution });
const report = (weeks: ResponseWeek[], targetMinutes = 480): ResponseReport => ({ timeZone: 'Europe/Berlin', targetMinutes, weeks });

describe('office time as the report says it', () => {
  it('says minutes under an hour, hours and minutes under a day, then days and hours', () => {
    expect(officeDuration(45)).toBe('45 min');
    expect(officeDuration(190)).toBe('3 h 10 min');
    expect(officeDuration(180)).toBe('3 h');
    expect(officeDuration(26 * 60)).toBe('1 d 2 h');
    expect(officeDuration(48 * 60)).toBe('2 d');
  });

  it('rounds to the minute, and to the hour once it runs to days', () => {
    expect(officeDuration(0.4)).toBe('0 min');
    expect(officeDuration(59.6)).toBe('1 h');
    expect(officeDuration(26 * 60 + 29)).toBe('1 d 2 h');
    expect(officeDuration(26 * 60 + 31)).toBe('1 d 3 h');
    expect(officeDuration(47 * 60 + 45)).toBe('2 d');
  });

  it('is a dash when there is nothing to measure', () => {
    expect(officeDuration(null)).toBe('—');
  });
});

describe('the report\'s words', () => {
  it('names a week by its Monday, as a calendar day', () => {
    expect(weekLabel('2026-11-30')).toBe('30 Nov 2026');
    expect(weekLabel('2027-01-04')).toBe('4 Jan 2027');
  });

  it('says the target in office hours, or in hours and minutes when it is not whole hours', () => {
    expect(targetSentence(480)).toBe('Target: a person answers within 8 office hours.');
    expect(targetSentence(60)).toBe('Target: a person answers within 1 office hour.');
    expect(targetSentence(90)).toBe('Target: a person answers within 1 h 30 min of office time.');
    expect(targetSentence(15)).toBe('Target: a person answers within 15 min of office time.');
  });
});

describe('the report\'s rows', () => {
  it('keeps the server\'s order, newest week first, with empty weeks as dashes and zero counts', () => {
    const rows = reportRows(report([week('2026-11-30', stats(3, 45, 190)), week('2026-11-23')]));

    expect(rows.map((r) => r.week)).toEqual(['30 Nov 2026', '23 Nov 2026']);
    expect(rows[0]!.firstReply).toEqual({
      count: 3,
      median: { text: '45 min', none: false, overTarget: false },
      p90: { text: '3 h 10 min', none: false, overTarget: false },
      overTarget: 0,
    });
    expect(rows[1]!.firstReply.count).toBe(0);
    expect(rows[1]!.firstReply.median).toEqual({ text: '—', none: true, overTarget: false });
    expect(rows[1]!.resolution.p90).toEqual({ text: '—', none: true, overTarget: false });
  });

  it('marks a first answers\' median or 90th percentile longer than the target, and not one equal to it', () => {
    const [row] = reportRows(report([week('2026-11-30', stats(10, 480, 481, 1))]));

    expect(row!.firstReply.median.overTarget).toBe(false);
    expect(row!.firstReply.p90).toEqual({ text: '8 h 1 min', none: false, overTarget: true });
    expect(row!.firstReply.overTarget).toBe(1);
  });

  it('holds resolutions to no reply target: closing a conversation may rightly take longer than answering it', () => {
    const [row] = reportRows(report([week('2026-11-30', none, stats(4, 2000, 5000, 4))]));

    expect(row!.resolution.median).toEqual({ text: '1 d 9 h', none: false, overTarget: false });
    expect(row!.resolution.p90.overTarget).toBe(false);
  });

  it('tells a report with nothing measured yet from one with some', () => {
    expect(hasMeasurements(report([week('2026-11-30'), week('2026-11-23')]))).toBe(false);
    expect(hasMeasurements(report([week('2026-11-30'), week('2026-11-23', none, stats(1, 30, 30))]))).toBe(true);
  });
});

describe('a report not shown', () => {
  it('says the server\'s refusal to staff who are not the clinic\'s Admins, and a plain failure otherwise', () => {
    expect(responseTimesError(new ApiError(403, 'forbidden', 'Response times are for the clinic\'s Admins.'))).toBe('Response times are for the clinic\'s Admins.');
    expect(responseTimesError(new ApiError(404, 'not_found', 'Not found.'))).toBe('This clinic is not one whose response times you may see.');
    expect(responseTimesError(new Error('offline'))).toBe('The response times could not be loaded. Try again later.');
  });
});
