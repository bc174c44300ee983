import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import type { Me, QuickReply } from '../types';
import {
  couldBeShortcut,
  matchQuickReplies,
  placeholderHelp,
  placeholdersLeft,
  quickReplyClinics,
  refusalOf,
  replyScope,
  splitReplies,
  textStart,
  unfilledNote,
} from './quickReplies';
import { staffWithRoles } from './testing/builders';

const stored = (shortcut: string, personal: boolean): QuickReply => ({ id: `${shortcut}-${personal}`, shortcut, text: 'Words.', personal, updatedAt: '2026-12-04T10:00:00Z' });

describe('matching quick replies', () => {
  const replies = [stored('greet', false), stored('greeting-long', true), stored('hours', false)];

  it('finds replies by prefix of "/shortcut", in any case; "/" alone lists all in the order given', () => {
    expect(matchQuickReplies('/', replies).map((r) => r.shortcut)).toEqual(['greet', 'greeting-long', 'hours']);
    expect(matchQuickReplies('/GREET', replies).map((r) => r.shortcut)).toEqual(['greet', 'greeting-long']);
    expect(matchQuickReplies('/greeti', replies).map((r) => r.shortcut)).toEqual(['greeting-long']);
  });

  it('finds nothing for a word without its slash, or one that is longer than every shortcut', () => {
    expect(matchQuickReplies('greet', replies)).toEqual([]);
    expect(matchQuickReplies('/greets', replies)).toEqual([]);
  });

  it('knows which words could still become a shortcut the server allows', () => {
    expect(['/', '/g', '/invoice-help', `/${'a'.repeat(30)}`].map(couldBeShortcut)).toEqual([true, true, true, true]);
    expect(['/-a', '/a_b', '/é', `/${'a'.repeat(31)}`, 'greet'].map(couldBeShortcut)).toEqual([false, false, false, false, false]);
  });
});

describe('how a reply reads in the palette', () => {
  it('is labelled Clinic or Mine', () => {
    expect(replyScope({ personal: false })).toBe('Clinic');
    expect(replyScope({ personal: true })).toBe('Mine');
  });

  it('shows the start of its first line, marking what is left out', () => {
    expect(textStart('Hi Robin, see you soon.')).toBe('Hi Robin, see you soon.');
    expect(textStart('  Hi Robin,\n\nSee you soon.')).toBe('Hi Robin,…');
    expect(textStart('Hi Robin, thanks for your message about the invoice from last week', 40)).toBe('Hi Robin, thanks for your message about…');
    expect(textStart(`${'x'.repeat(50)} end`, 20)).toBe(`${'x'.repeat(20)}…`);
    expect(textStart('Spaces \t  collapse')).toBe('Spaces collapse');
  });
});

describe('placeholders left to fill in', () => {
  it('are those of the inserted replies that the draft still contains, each once', () => {
    const unfilled = ['{clinic.phone}', '{clinic.phone}', '{patient.firstName}'];
    expect(placeholdersLeft('Call {clinic.phone}, {patient.firstName}.', unfilled)).toEqual(['{clinic.phone}', '{patient.firstName}']);
    expect(placeholdersLeft('Call (201) 555-0123, {patient.firstName}.', unfilled)).toEqual(['{patient.firstName}']);
    expect(placeholdersLeft('Call (201) 555-0123.', unfilled)).toEqual([]);
  });

  it('are named in one short note, and none means no note', () => {
    expect(unfilledNote(['{clinic.phone}'])).toBe('Fill in {clinic.phone} before sending.');
    expect(unfilledNote(['{clinic.phone}', '{clinic.name}'])).toBe('Fill in {clinic.phone} and {clinic.name} before sending.');
    expect(unfilledNote(['{a.b}', '{c.d}', '{e.f}'])).toBe('Fill in {a.b}, {c.d} and {e.f} before sending.');
    expect(unfilledNote(['{clinic.phone}'], true)).toBe('Not sent: fill in {clinic.phone} first (type over the selected {clinic.phone}), or delete it.');
    expect(unfilledNote(['{clinic.phone}', '{clinic.name}'], true)).toBe(
      'Not sent: fill in {clinic.phone} and {clinic.name} first (type over the selected {clinic.phone}), or delete them.',
    );
    expect(unfilledNote([], true)).toBe('');
    expect(unfilledNote([])).toBe('');
  });

  it('are all named in the help line', () => {
    expect(placeholderHelp).toContain('{patient.firstName}, {clinic.name}, {clinic.phone}');
  });
});

describe('who keeps which replies on the page', () => {
  it('lets a clinician keep their own and read the clinic\'s', () => {
    expect(quickReplyClinics(staffWithRoles('Clinician'))).toEqual([
      { clinicId: 'c0', clinicName: 'Clinic 0', editsClinicReplies: false, keepsOwnReplies: true, setsClinicPhone: false },
    ]);
  });

  it('lets an Admin-only user keep the clinic\'s replies and phone, with no replies of their own', () => {
    expect(quickReplyClinics(staffWithRoles('Admin'))).toEqual([
      { clinicId: 'c0', clinicName: 'Clinic 0', editsClinicReplies: true, keepsOwnReplies: false, setsClinicPhone: true },
    ]);
  });

  it('lists each clinic once, with what each role there allows, and leaves out Billing-only clinics and patients', () => {
    const both: Me = { ...staffWithRoles('FrontDesk'), memberships: [...staffWithRoles('FrontDesk').memberships, { clinicId: 'c0', clinicName: 'Clinic 0', role: 'Admin' }] };
    expect(quickReplyClinics(both)).toEqual([
      { clinicId: 'c0', clinicName: 'Clinic 0', editsClinicReplies: true, keepsOwnReplies: true, setsClinicPhone: true },
    ]);
    expect(quickReplyClinics(staffWithRoles('Clinician', 'Billing', 'Admin')).map((c) => c.clinicId)).toEqual(['c0', 'c2']);
    expect(quickReplyClinics({ ...staffWithRoles('Admin'), kind: 'patient' })).toEqual([]);
  });

  it('splits the list into the clinic\'s replies and the user\'s own, keeping the order', () => {
    const list = [stored('a', true), stored('b', false), stored('c', true)];
    expect(splitReplies(list)).toEqual({ clinic: [list[1]], mine: [list[0], list[2]] });
  });
});

describe('the server\'s refusals', () => {
  it('are shown beside the field they name, a taken shortcut beside the shortcut', () => {
    expect(refusalOf(new ApiError(400, 'validation_failed', 'The text is required.', 'text'), 'x')).toEqual({ field: 'text', message: 'The text is required.' });
    expect(refusalOf(new ApiError(409, 'shortcut_taken', '/greet is taken in your quick replies; choose another shortcut.'), 'x')).toEqual({
      field: 'shortcut',
      message: '/greet is taken in your quick replies; choose another shortcut.',
    });
    expect(refusalOf(new ApiError(400, 'validation_failed', 'That is not a phone number.', 'phone'), 'x').field).toBe('phone');
  });

  it('name no field when they are about the whole request, and fall back for anything unexpected', () => {
    expect(refusalOf(new ApiError(403, 'forbidden', "Only the clinic's Admins change its quick replies."), 'x')).toEqual({ field: null, message: "Only the clinic's Admins change its quick replies." });
    expect(refusalOf(new ApiError(404, 'not_found', 'Not found.'), 'x')).toEqual({ field: null, message: 'That reply is no longer here. The list has been refreshed.' });
    expect(refusalOf(new ApiError(500, 'internal_error', 'Unexpected error.'), 'Could not save.')).toEqual({ field: null, message: 'Could not save.' });
    expect(refusalOf(new TypeError('Failed to fetch'), 'Could not save.')).toEqual({ field: null, message: 'Could not save.' });
  });
});
