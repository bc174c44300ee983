import { describe, expect, it } from 'vitest';
import type { OfficeHours } from '../types';
import { hoursNotice, nextChangeAt, recheckInMs, whenText } from './hoursNotice';
import { buildOfficeHours } from './testing/builders';

/** A patient in Berlin reading English (24-hour clock). */
const berlin = { locale: 'en-GB', timeZone: 'Europe/Berlin' };
/** Thursday 3 December 2026, 20:00 in Berlin. */
const now = new Date('2026-12-03T19:00:00Z');

const week: OfficeHours['weekly'] = [
  ...(['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const).flatMap((day) => [
    { day, opens: '08:00', closes: '12:00' },
    { day, opens: '14:00', closes: '18:00' },
  ]),
  { day: 'saturday', opens: '09:00', closes: '12:00' },
];

const hours = (overrides: Partial<OfficeHours> = {}): OfficeHours =>
  buildOfficeHours({ weekly: week, afterHoursReply: 'We are closed now.', openNow: false, opensAt: '2026-12-04T07:00:00Z', ...overrides });

describe('the hours notice', () => {
  it('says the clinic is closed and when it opens, in the patient\'s zone', () => {
    const notice = hoursNotice(hours(), now, berlin)!;
    expect(notice.state).toBe('Northside is closed now. It opens tomorrow at 08:00.');
    expect(notice.closed).toBe(true);
  });

  it('says until when it is open', () => {
    const open = hours({ openNow: true, closesAt: '2026-12-03T17:00:00Z', opensAt: null });
    expect(hoursNotice(open, new Date('2026-12-03T14:00:00Z'), berlin)!.state).toBe('Open until 18:00.');
    expect(hoursNotice(open, new Date('2026-12-03T14:00:00Z'), berlin)!.closed).toBe(false);
  });

  it('names the closure the clinic is closed for, and opens "again" after it', () => {
    const closedFor = { from: '2026-12-24', to: '2027-01-01', label: 'Christmas and New Year' };
    const holidays = hours({ closedFor, opensAt: '2027-01-04T07:00:00Z' });
    expect(hoursNotice(holidays, new Date('2026-12-24T10:00:00Z'), berlin)!.state).toBe(
      'Northside is closed now (Christmas and New Year). It opens again on Monday 4 January at 08:00.',
    );
    const noOpening = hours({ closedFor, opensAt: null });
    expect(hoursNotice(noOpening, new Date('2026-12-24T10:00:00Z'), berlin)!.state).toBe(
      'Northside is closed now (Christmas and New Year). It opens again after 1 Jan.',
    );
  });

  it('shows the emergency note as the clinic wrote it, even for a clinic that keeps no hours', () => {
    const noHours = hours({ weekly: [], openNow: true, opensAt: null, emergencyNote: ' Not for emergencies: call 112. ' });
    const notice = hoursNotice(noHours, now, berlin)!;
    expect(notice).toMatchObject({ state: null, closed: false, emergencyNote: 'Not for emergencies: call 112.', week: [], closures: [] });
  });

  it('says nothing for a clinic with neither hours nor an emergency note', () => {
    expect(hoursNotice(hours({ weekly: [], openNow: true, opensAt: null, emergencyNote: '  ' }), now, berlin)).toBeNull();
  });

  it('lists the week Monday first in the clinic\'s own times, and the closures still to come', () => {
    const notice = hoursNotice(
      hours({
        closures: [
          { from: '2026-12-31', to: '2026-12-31', label: null },
          { from: '2026-12-24', to: '2026-12-26', label: 'Christmas' },
          { from: '2026-11-01', to: '2026-11-02', label: 'Past' },
        ],
      }),
      now,
      berlin,
    )!;

    expect(notice.week[0]).toEqual({ day: 'Monday', hours: '08:00–12:00, 14:00–18:00' });
    expect(notice.week[5]).toEqual({ day: 'Saturday', hours: '09:00–12:00' });
    expect(notice.week[6]).toEqual({ day: 'Sunday', hours: 'Closed' });
    expect(notice.closures).toEqual(['24 Dec – 26 Dec: Christmas', '31 Dec']);
    expect(notice.timeZone).toBe('Europe/Berlin');
  });

  it('tells a patient in another zone the opening in their own time, and says so (the week is in the clinic\'s)', () => {
    const newYork = { locale: 'en-GB', timeZone: 'America/New_York' };
    // 08:00 in Berlin on Friday is 02:00 in New York on Friday; it is 14:00 on Thursday there now.
    expect(hoursNotice(hours(), now, newYork)!.state).toBe('Northside is closed now. It opens tomorrow at 02:00 your time.');
    const open = hours({ openNow: true, closesAt: '2026-12-03T17:00:00Z', opensAt: null });
    expect(hoursNotice(open, new Date('2026-12-03T14:00:00Z'), newYork)!.state).toBe('Open until 12:00 your time.');
  });
});

describe('whenText', () => {
  it('says today, tomorrow, the weekday within the week, then the date', () => {
    expect(whenText(new Date('2026-12-03T20:30:00Z'), now, berlin)).toBe('today at 21:30');
    expect(whenText(new Date('2026-12-05T08:00:00Z'), now, berlin)).toBe('on Saturday at 09:00');
    expect(whenText(new Date('2026-12-14T07:00:00Z'), now, berlin)).toBe('on Monday 14 December at 08:00');
  });

  it('counts days in any year, across the turn of 0099 to 0100 too', () => {
    const utc = { locale: 'en-GB', timeZone: 'UTC' };
    const tomorrow = (today: string, next: string) => whenText(new Date(`${next}T09:00:00Z`), new Date(`${today}T18:00:00Z`), utc);
    expect(tomorrow('0001-01-01', '0001-01-02')).toBe('tomorrow at 09:00');
    expect(tomorrow('0099-12-31', '0100-01-01')).toBe('tomorrow at 09:00');
    expect(tomorrow('1900-02-28', '1900-03-01')).toBe('tomorrow at 09:00');
    expect(tomorrow('2026-12-31', '2027-01-01')).toBe('tomorrow at 09:00');
  });
});

describe('when to ask again', () => {
  it('is just after the next opening or closing, at least half a minute and at most as long as an answer stays fresh', () => {
    const closed = hours();
    const day = 24 * 3_600_000;
    expect(nextChangeAt(closed)).toBe(Date.parse('2026-12-04T07:00:00Z'));
    expect(recheckInMs(closed, Date.parse('2026-12-04T06:00:00Z'), day)).toBe(3_601_000);
    expect(recheckInMs(closed, Date.parse('2026-12-04T07:00:05Z'), day)).toBe(30_000);
    expect(recheckInMs(closed, Date.parse('2026-11-01T00:00:00Z'), day)).toBe(day);
  });

  it('asks again within the freshness even when nothing is due to change, so hours the clinic changes meanwhile reach an open thread', () => {
    expect(recheckInMs(hours(), Date.parse('2026-12-04T06:00:00Z'), 300_000)).toBe(300_000);
    expect(recheckInMs(hours({ weekly: [], openNow: true, opensAt: null }), 0, 300_000)).toBe(300_000);
  });
});
