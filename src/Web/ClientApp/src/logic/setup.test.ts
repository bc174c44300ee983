import { describe, expect, it } from 'vitest';
import type { StaffMember, StaffRoster } from '../staffApi';
import type { ClinicProfile, OfficeHours } from '../types';
import { setupSteps } from './setup';
import { buildOfficeHours } from './testing/builders';

const newClinicHours: OfficeHours = buildOfficeHours({ clinicName: 'Riverside Physio', timeZone: 'Europe/London', openNow: false });
const newClinicProfile: ClinicProfile = { name: 'Riverside Physio', phone: null, patientTopics: [], country: 'GB', numbersReadAs: 'United Kingdom (+44)' };
const rita: StaffMember = { userId: 'rita', displayName: 'Rita Admin', email: 'rita@riverside.example', roles: ['Admin'], status: 'active', lastSignInAt: null, twoStepOn: false };
const aloneRoster: StaffRoster = { members: [rita], invitations: [] };

const doneOf = (...args: Parameters<typeof setupSteps>) => Object.fromEntries(setupSteps(...args).map((step) => [step.key, step.done]));

describe('setupSteps', () => {
  it('leaves every step to do for a clinic the operator has just created', () => {
    expect(doneOf(newClinicHours, newClinicProfile, aloneRoster, 'rita')).toEqual({ hours: false, phone: false, team: false });
  });

  it('ticks the hours once a day has an opening, and the phone once one is saved', () => {
    const hours: OfficeHours = { ...newClinicHours, weekly: [{ day: 'monday', opens: '08:00', closes: '18:00' }] };
    const profile = { ...newClinicProfile, phone: '+44 20 7946 0000' };
    expect(doneOf(hours, profile, aloneRoster, 'rita')).toMatchObject({ hours: true, phone: true });
  });

  it('counts the team once someone besides the Admin is active or invited, but not a deactivated member or an expired link', () => {
    const carl: StaffMember = { ...rita, userId: 'carl', displayName: 'Carl Clinician', roles: ['Clinician'] };
    const invitation = { id: 'i1', email: 'fay@riverside.example', displayName: 'Fay Front', role: 'FrontDesk' as const, sentAt: '2026-12-07T10:00:00Z', expiresAt: '2026-12-14T10:00:00Z', expired: false };
    const team = (roster: StaffRoster) => doneOf(newClinicHours, newClinicProfile, roster, 'rita').team;

    expect(team({ members: [rita, carl], invitations: [] })).toBe(true);
    expect(team({ members: [rita], invitations: [invitation] })).toBe(true);
    expect(team({ members: [rita, { ...carl, status: 'deactivated' }], invitations: [{ ...invitation, expired: true }] })).toBe(false);
  });
});
