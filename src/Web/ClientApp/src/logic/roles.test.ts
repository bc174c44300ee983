import { describe, expect, it } from 'vitest';
import type { Me } from '../types';
import { roleName, rolesOf } from './roles';

/** A staff member with one role per clinic; chatClinicIds as the server would report them. */
const staff = (...roles: Array<'Clinician' | 'FrontDesk' | 'Billing' | 'Admin'>): Me => ({
  userId: 'u1',
  kind: 'staff',
  sensitiveUntil: null,
  totpEnrolmentRequired: false,
  displayName: 'Olga',
  patientId: null,
  memberships: roles.map((role, i) => ({ clinicId: `c${i}`, clinicName: `Clinic ${i}`, role })),
  chatClinicIds: roles.flatMap((role, i) => (role === 'Clinician' || role === 'FrontDesk' ? [`c${i}`] : [])),
});

describe('roles', () => {
  it('lists only the clinics where the user is an Admin', () => {
    expect(rolesOf(staff('Clinician', 'Admin')).adminClinics.map((m) => m.clinicId)).toEqual(['c1']);
    expect(rolesOf({ ...staff('Admin'), kind: 'patient' }).adminClinics).toEqual([]);
    expect(rolesOf({ ...staff('Admin'), kind: 'patient' }).isAdmin).toBe(false);
  });

  it('gives an Admin-only user no chat', () => {
    expect(rolesOf(staff('Admin')).chats).toBe(false);
    expect(rolesOf(staff('Admin', 'Clinician')).chats).toBe(true);
  });

  it('follows the server on chat: a Billing user has roles but no chat', () => {
    expect(rolesOf(staff('Billing')).chats).toBe(false);
    expect(rolesOf(staff('Billing', 'FrontDesk')).chatClinics).toEqual([{ clinicId: 'c1', clinicName: 'Clinic 1' }]);
  });

  it('follows the server even where the role names would say otherwise', () => {
    const refused = { ...staff('Clinician'), chatClinicIds: [] };
    expect(rolesOf(refused).chats).toBe(false);
    expect(rolesOf(refused).chatClinics).toEqual([]);
  });

  it('gives a patient no staff chat, whatever clinic ids come with them', () => {
    const patient: Me = { ...staff('Clinician'), kind: 'patient' };
    expect(rolesOf(patient).chats).toBe(false);
    expect(rolesOf(patient).chatClinics).toEqual([]);
  });

  it('names the clinic only for people who chat for more than one', () => {
    expect(rolesOf(staff('FrontDesk', 'FrontDesk')).chatsForSeveralClinics).toBe(true);
    expect(rolesOf(staff('Clinician', 'Billing')).chatsForSeveralClinics).toBe(false);
  });

  it('names roles as people read them, and unknown ones as the server sends them', () => {
    expect(roleName('FrontDesk')).toBe('Front desk');
    expect(roleName('Pharmacist')).toBe('Pharmacist');
  });
});
