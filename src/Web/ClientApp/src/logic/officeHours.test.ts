import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import type { OfficeHours } from '../types';
import {
  addClosure,
  addOpening,
  changeClosure,
  changeOpening,
  dayName,
  formOf,
  hasHints,
  hintsOf,
  hoursOf,
  isoDay,
  officeHoursRefusal,
  openingToAdd,
  refusalStands,
  removeOpening,
  replyTargetMinutesOf,
  requestOf,
  timeZoneSuggestions,
  type OfficeHoursForm,
} from './officeHours';
import { buildOfficeHours } from './testing/builders';

/** Keys 1, 2, 3… so that tests can name rows. */
const counter = () => {
  let n = 0;
  return () => `k${++n}`;
};

const emptyForm = (): OfficeHoursForm => formOf(buildOfficeHours(), counter());

describe('the form and the server\'s hours', () => {
  it('lists each day\'s openings in time order, closures by their first day, and nothing as empty text', () => {
    const form = formOf(
      buildOfficeHours({
        weekly: [
          { day: 'monday', opens: '14:00', closes: '18:00' },
          { day: 'monday', opens: '08:00', closes: '12:00' },
          { day: 'friday', opens: '08:00', closes: '13:00' },
        ],
        closures: [
          { from: '2026-12-31', to: '2026-12-31', label: null },
          { from: '2026-12-24', to: '2026-12-26', label: 'Christmas' },
        ],
      }),
      counter(),
    );

    expect(form.days.monday.map((r) => `${r.opens}-${r.closes}`)).toEqual(['08:00-12:00', '14:00-18:00']);
    expect(form.days.friday).toHaveLength(1);
    expect(form.days.sunday).toEqual([]);
    expect(form.closures.map((c) => [c.from, c.label])).toEqual([
      ['2026-12-24', 'Christmas'],
      ['2026-12-31', ''],
    ]);
    expect(form.afterHoursReply).toBe('');
    expect(form.emergencyNote).toBe('');
  });

  it('sends everything at once: openings Monday first in time order, blank texts and labels as none, the rest trimmed', () => {
    const form: OfficeHoursForm = {
      ...emptyForm(),
      timeZone: ' Europe/Berlin ',
      closures: [{ key: 'c', from: '2026-12-24', to: '2026-12-26', label: '  ' }],
      afterHoursReply: '  We are closed. We answer from 8:00.  ',
      emergencyNote: '   ',
    };
    form.days.sunday = [{ key: 's', opens: '10:00', closes: '12:00' }];
    form.days.monday = [
      { key: 'b', opens: '14:00', closes: '18:00' },
      { key: 'a', opens: '08:00', closes: '12:00' },
    ];

    expect(requestOf(form)).toEqual({
      timeZone: 'Europe/Berlin',
      weekly: [
        { day: 'monday', opens: '08:00', closes: '12:00' },
        { day: 'monday', opens: '14:00', closes: '18:00' },
        { day: 'sunday', opens: '10:00', closes: '12:00' },
      ],
      closures: [{ from: '2026-12-24', to: '2026-12-26', label: null }],
      afterHoursReply: 'We are closed. We answer from 8:00.',
      emergencyNote: null,
      replyTargetMinutes: 480,
      emailWhenOverdue: false,
    });
  });

  it('sends back, as they came, settings of the answer this form does not edit, but not what the answer says about now', () => {
    // A setting the server may add before this form shows it: a save here must not reset it.
    const answer = { ...buildOfficeHours({ openNow: false, opensAt: '2026-12-04T07:00:00Z' }), escalateAfterMinutes: 240 } as OfficeHours;
    const request = requestOf(formOf(answer, counter())) as Record<string, unknown>;

    expect(request.escalateAfterMinutes).toBe(240);
    expect(Object.keys(request)).not.toContain('openNow');
    expect(Object.keys(request)).not.toContain('opensAt');
    expect(Object.keys(request)).not.toContain('clinicName');
  });

  it('gives back what it was given', () => {
    const stored = buildOfficeHours({
      weekly: [{ day: 'tuesday', opens: '08:00', closes: '23:59' }],
      closures: [{ from: '2027-01-01', to: '2027-01-01', label: 'New Year' }],
      afterHoursReply: 'Closed now.',
      emergencyNote: 'Not for emergencies: call 112.',
    });
    const { clinicName: _name, openNow: _open, closesAt: _closes, opensAt: _opens, closedFor: _for, ...request } = stored;

    expect(requestOf(formOf(stored, counter()))).toEqual(request);
  });

  it('keeps the choice of overdue emails both ways', () => {
    const form = formOf(buildOfficeHours({ emailWhenOverdue: true }), counter());
    expect(form.emailWhenOverdue).toBe(true);
    expect(requestOf({ ...form, emailWhenOverdue: false }).emailWhenOverdue).toBe(false);
    expect(requestOf(form).emailWhenOverdue).toBe(true);
  });

  it('shows the reply target in office hours and sends it back in the same whole minutes', () => {
    const form = formOf(buildOfficeHours({ replyTargetMinutes: 90 }), counter());
    expect(form.replyTargetHours).toBe('1.5');
    expect(requestOf(form).replyTargetMinutes).toBe(90);

    // A target set elsewhere that is no quarter hour still goes back unchanged when the field is left alone.
    expect(hoursOf(50)).toBe('0.83');
    expect(requestOf(formOf(buildOfficeHours({ replyTargetMinutes: 50 }), counter())).replyTargetMinutes).toBe(50);
    expect(hoursOf(480)).toBe('8');
    expect(hoursOf(15)).toBe('0.25');
  });

  it('sends the hours typed as minutes: a quarter hour is 15, a working week 7200', () => {
    expect(requestOf({ ...emptyForm(), replyTargetHours: '0.25' }).replyTargetMinutes).toBe(15);
    expect(requestOf({ ...emptyForm(), replyTargetHours: '120' }).replyTargetMinutes).toBe(7200);
    expect(replyTargetMinutesOf(' 2.75 ')).toBe(165);
    expect(replyTargetMinutesOf('')).toBeNull();
    expect(replyTargetMinutesOf('eight')).toBeNull();
  });

  it('names days as the page shows them', () => {
    expect(dayName('wednesday')).toBe('Wednesday');
  });
});

describe('adding and removing openings', () => {
  it('starts a closed day like the nearest open day before it, else 09:00–17:00', () => {
    const form = emptyForm();
    expect(openingToAdd(form, 'tuesday')).toEqual({ opens: '09:00', closes: '17:00' });

    form.days.monday = [{ key: 'm', opens: '08:00', closes: '12:00' }];
    expect(openingToAdd(form, 'wednesday')).toEqual({ opens: '08:00', closes: '12:00' });
  });

  it('adds a later opening an hour after the day\'s last, never past 23:59', () => {
    const form = emptyForm();
    form.days.monday = [{ key: 'm', opens: '08:00', closes: '12:00' }];
    expect(openingToAdd(form, 'monday')).toEqual({ opens: '13:00', closes: '17:00' });

    form.days.monday = [{ key: 'm', opens: '08:00', closes: '21:30' }];
    expect(openingToAdd(form, 'monday')).toEqual({ opens: '22:30', closes: '23:59' });
  });

  it('adds, changes and removes rows by key; a day without rows is closed', () => {
    const keys = counter();
    const { form, key } = addOpening(emptyForm(), 'monday', keys);
    const changed = changeOpening(form, 'monday', key, { closes: '12:30' });

    expect(changed.days.monday).toEqual([{ key, opens: '09:00', closes: '12:30' }]);
    expect(removeOpening(changed, 'monday', key).days.monday).toEqual([]);
  });

  it('adds a closure of one day, today', () => {
    const { form, key } = addClosure(emptyForm(), '2026-12-04', counter());
    expect(changeClosure(form, key, { label: 'Training' }).closures).toEqual([{ key, from: '2026-12-04', to: '2026-12-04', label: 'Training' }]);
    expect(isoDay(new Date(2026, 11, 4, 23, 30))).toBe('2026-12-04');
  });
});

describe('hints beside the fields', () => {
  it('has none for a form the server would take', () => {
    const form = emptyForm();
    form.days.monday = [
      { key: 'a', opens: '08:00', closes: '12:00' },
      { key: 'b', opens: '12:00', closes: '23:59' },
    ];
    form.closures = [{ key: 'c', from: '2026-12-24', to: '2026-12-26', label: 'Christmas' }];

    expect(hasHints(hintsOf(form, '2026-12-07'))).toBe(false);
  });

  it('marks an opening missing a time or closing before it opens, and a day whose openings overlap', () => {
    const form = emptyForm();
    form.days.monday = [
      { key: 'a', opens: '08:00', closes: '12:00' },
      { key: 'b', opens: '11:00', closes: '14:00' },
    ];
    form.days.tuesday = [
      { key: 'c', opens: '18:00', closes: '08:00' },
      { key: 'd', opens: '', closes: '12:00' },
    ];
    form.days.wednesday = [{ key: 'e', opens: '09:00', closes: '09:00' }];
    const hints = hintsOf(form);

    expect(hints.days.get('monday')).toBe('Two openings on Monday overlap.');
    expect(hints.openings.get('c')).toMatch(/closes before it opens.*23:59/);
    expect(hints.openings.get('d')).toBe('Enter when it opens and when it closes.');
    expect(hints.openings.get('e')).toBe('It opens and closes at the same time: enter when it closes.');
    expect(hints.days.has('tuesday')).toBe(false);
    expect(hasHints(hints)).toBe(true);
  });

  it('marks a closure with a date missing, its days reversed, over a year long (in any year), more than 10 years from today, or a label too long', () => {
    const form = emptyForm();
    form.closures = [
      { key: 'missing', from: '', to: '2026-12-24', label: '' },
      { key: 'reversed', from: '2026-12-26', to: '2026-12-24', label: '' },
      { key: 'long', from: '2026-01-01', to: '2027-01-02', label: '' },
      // Years 0001 to 0099 too, across the turn of 0099 to 0100 (Date.UTC read 0099 as 1999).
      { key: 'long in 0099', from: '0099-06-01', to: '0100-06-10', label: '' },
      { key: 'year in 0001', from: '0001-01-01', to: '0001-12-31', label: '' },
      { key: 'year in 1900', from: '1900-01-01', to: '1901-01-01', label: '' },
      { key: 'label', from: '2026-12-24', to: '2026-12-24', label: 'x'.repeat(81) },
      { key: 'fine', from: '2026-01-01', to: '2027-01-01', label: 'x'.repeat(80) },
      // A half-typed year: the server refuses days more than 10 years from today.
      { key: 'last day in 10 years', from: '2036-12-06', to: '2036-12-07', label: '' },
      { key: 'a day later', from: '2036-12-07', to: '2036-12-08', label: '' },
      { key: '10 years ago', from: '2016-12-07', to: '2016-12-07', label: '' },
      { key: 'a day before', from: '2016-12-06', to: '2016-12-07', label: '' },
    ];
    const hints = hintsOf(form, '2026-12-07');
    const checkTheYear = { part: 'dates', message: "Check the year: a closure's days are within 10 years of today." };

    expect(hints.closures.get('missing')).toEqual({ part: 'dates', message: 'Enter the first and the last day closed.' });
    expect(hints.closures.get('reversed')).toEqual({ part: 'dates', message: 'The last day is before the first.' });
    expect(hints.closures.get('long')).toEqual({ part: 'dates', message: 'A closure lasts at most 366 days.' });
    expect(hints.closures.get('long in 0099')).toEqual({ part: 'dates', message: 'A closure lasts at most 366 days.' });
    // Their days are counted right (no "lasts at most"); only their year is far from today.
    expect(hints.closures.get('year in 0001')).toEqual(checkTheYear);
    expect(hints.closures.get('year in 1900')).toEqual(checkTheYear);
    expect(hints.closures.has('last day in 10 years')).toBe(false);
    expect(hints.closures.get('a day later')).toEqual(checkTheYear);
    expect(hints.closures.has('10 years ago')).toBe(false);
    expect(hints.closures.get('a day before')).toEqual(checkTheYear);
    expect(hints.closures.get('label')).toEqual({ part: 'label', message: 'The label is at most 80 characters (now 81).' });
    expect(hints.closures.has('fine')).toBe(false);
  });

  it('marks an empty time zone, too many closures and texts over their length', () => {
    const form: OfficeHoursForm = { ...emptyForm(), timeZone: ' ', afterHoursReply: 'x'.repeat(1001), emergencyNote: 'y'.repeat(301) };
    form.closures = Array.from({ length: 61 }, (_, i) => ({ key: `c${i}`, from: '2026-12-24', to: '2026-12-24', label: '' }));
    const hints = hintsOf(form);

    expect(hints.timeZone).toBe('Enter a time zone, such as Europe/Berlin.');
    expect(hints.closureCount).toBe('At most 60 closures: remove past ones.');
    expect(hints.afterHoursReply).toBe('The automatic reply is at most 1000 characters (now 1001).');
    expect(hints.emergencyNote).toBe('The emergency note is at most 300 characters (now 301).');
  });

  it('marks a reply target that is empty or outside a quarter hour to 120 office hours, as the server would', () => {
    const hintFor = (replyTargetHours: string) => hintsOf({ ...emptyForm(), replyTargetHours }).replyTarget;

    expect(hintFor('')).toBe('Enter the reply target in office hours, such as 8.');
    expect(hintFor('0.2')).toBe('The reply target is between 0.25 and 120 office hours.');
    expect(hintFor('120.5')).toBe('The reply target is between 0.25 and 120 office hours.');
    expect(hintFor('0.25')).toBeNull();
    expect(hintFor('120')).toBeNull();
    // Not on a quarter step, but whole minutes the server takes: only the spinner moves by quarters.
    expect(hintFor('1.1')).toBeNull();
    expect(hasHints(hintsOf({ ...emptyForm(), replyTargetHours: '' }))).toBe(true);
  });
});

describe('the server\'s refusals', () => {
  it('are shown beside the field they name, in the server\'s words', () => {
    const refused = new ApiError(400, 'validation_failed', 'On Monday two openings overlap.', 'weekly');
    expect(officeHoursRefusal(refused, 'Could not save.')).toEqual({ field: 'weekly', message: 'On Monday two openings overlap.' });

    const target = new ApiError(400, 'validation_failed', 'The reply target is between 15 minutes and 120 office hours.', 'replyTargetMinutes');
    expect(officeHoursRefusal(target, 'Could not save.')).toEqual({ field: 'replyTargetMinutes', message: 'The reply target is between 15 minutes and 120 office hours.' });
  });

  it('go above the Save button when they name no field of the form', () => {
    expect(officeHoursRefusal(new ApiError(400, 'validation_failed', 'Odd.', 'somethingElse'), 'x')).toEqual({ field: null, message: 'Odd.' });
    expect(officeHoursRefusal(new ApiError(403, 'forbidden', 'Only the clinic\'s Admins may change this.'), 'x').message).toBe(
      'Only the clinic\'s Admins may change this.',
    );
    expect(officeHoursRefusal(new ApiError(404, 'not_found', 'Not found.'), 'x').message).toBe('This clinic is not one whose settings you may change.');
    expect(officeHoursRefusal(new Error('network'), 'Could not save.')).toEqual({ field: null, message: 'Could not save.' });
  });
});

describe('a refusal after an edit', () => {
  const before = emptyForm();
  const zone = { field: 'timeZone' as const, message: "'Mars/Olympus' is not an IANA time zone id." };

  it('stands while what it refused is unchanged, and ends once that is edited', () => {
    expect(refusalStands(zone, before, { ...before, replyTargetHours: '0' })).toBe(true);
    expect(refusalStands(zone, before, { ...before, timeZone: 'UTC' })).toBe(false);
    const target = { field: 'replyTargetMinutes' as const, message: 'The reply target is between 15 minutes and 120 office hours.' };
    expect(refusalStands(target, before, { ...before, replyTargetHours: '2' })).toBe(false);
  });

  it('that names no field ends with any edit', () => {
    expect(refusalStands({ field: null, message: 'Could not save.' }, before, { ...before, emergencyNote: 'Call 911.' })).toBe(false);
  });
});

describe('time zone suggestions', () => {
  it('are the browser\'s zones with UTC, or a short list of common ones without them', () => {
    expect(timeZoneSuggestions(() => ['Europe/Berlin', 'America/New_York'])).toEqual(['UTC', 'Europe/Berlin', 'America/New_York']);
    expect(timeZoneSuggestions(undefined)).toContain('Europe/Berlin');
    expect(
      timeZoneSuggestions(() => {
        throw new RangeError('unsupported');
      }),
    ).toContain('UTC');
  });
});
