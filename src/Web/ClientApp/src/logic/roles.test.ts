import { describe, expect, it } from 'vitest';
import type { Me } from '../types';
import { roleName, rolesOf, takesPartIn, threadAccess } from './roles';
import { staffWithRoles } from './testing/builders';

describe('roles', () => {
  it('lists only the clinics where the user is an Admin', () => {
    expect(rolesOf(staffWithRoles('Clinician', 'Admin')).adminClinics.map((m) => m.clinicId)).toEqual(['c1']);
    expect(rolesOf({ ...staffWithRoles('Admin'), kind: 'patient' }).adminClinics).toEqual([]);
    expect(rolesOf({ ...staffWithRoles('Admin'), kind: 'patient' }).isAdmin).toBe(false);
  });

  it('gives an Admin-only user no chat', () => {
    expect(rolesOf(staffWithRoles('Admin')).chats).toBe(false);
    expect(rolesOf(staffWithRoles('Admin', 'Clinician')).chats).toBe(true);
  });

  it('gives a Billing user Chat, for the threads about billing, but no new conversations and no quick replies', () => {
    const billing = rolesOf(staffWithRoles('Billing'));
    expect(billing.chats).toBe(true);
    expect(billing.billingClinics).toEqual([{ clinicId: 'c0', clinicName: 'Clinic 0' }]);
    expect(billing.chatClinics).toEqual([]);
    expect(billing.startsConversations).toBe(false);
    expect(billing.keepsQuickReplies).toBe(false);
  });

  it('starts conversations and keeps quick replies only where the user chats', () => {
    const both = rolesOf(staffWithRoles('Billing', 'FrontDesk'));
    expect(both.chatClinics).toEqual([{ clinicId: 'c1', clinicName: 'Clinic 1' }]);
    expect(both.startsConversations).toBe(true);
    expect(both.keepsQuickReplies).toBe(true);
    expect(both.chatsForSeveralClinics).toBe(true);
  });

  it('gives a Billing user no chat where the server reports no billing clinics (as before topics)', () => {
    expect(rolesOf({ ...staffWithRoles('Billing'), billingClinicIds: null }).chats).toBe(false);
    expect(rolesOf({ ...staffWithRoles('Billing'), billingClinicIds: undefined }).chats).toBe(false);
  });

  it('never counts a clinic where the user chats as Billing-only too', () => {
    const me: Me = { ...staffWithRoles('Clinician'), billingClinicIds: ['c0'] };
    expect(rolesOf(me).billingClinics).toEqual([]);
  });

  it('follows the server even where the role names would say otherwise', () => {
    const refused = { ...staffWithRoles('Clinician'), chatClinicIds: [] };
    expect(rolesOf(refused).chats).toBe(false);
    expect(rolesOf(refused).chatClinics).toEqual([]);
  });

  it('gives a patient no staff chat, whatever clinic ids come with them', () => {
    const patient: Me = { ...staffWithRoles('Clinician'), kind: 'patient' };
    expect(rolesOf(patient).chats).toBe(false);
    expect(rolesOf(patient).chatClinics).toEqual([]);
  });

  it('names the clinic only for people who chat for more than one', () => {
    expect(rolesOf(staffWithRoles('FrontDesk', 'FrontDesk')).chatsForSeveralClinics).toBe(true);
    expect(rolesOf(staffWithRoles('Clinician', 'Admin')).chatsForSeveralClinics).toBe(false);
    expect(rolesOf(staffWithRoles('Clinician', 'Billing')).chatsForSeveralClinics).toBe(true);
  });

  it('lets a Billing user take part in the billing threads of their clinic only', () => {
    const billing = rolesOf(staffWithRoles('Billing'));
    expect(takesPartIn(billing, 'c0', 'billing')).toBe(true);
    expect(takesPartIn(billing, 'c0', 'appointments')).toBe(false);
    expect(takesPartIn(billing, 'c0', null)).toBe(false);
    expect(takesPartIn(billing, 'elsewhere', 'billing')).toBe(false);
    expect(takesPartIn(rolesOf(staffWithRoles('Clinician')), 'c0', null)).toBe(true);
  });

  it('asks for nothing in a billing thread that the server refuses Billing staff', () => {
    expect(threadAccess(rolesOf(staffWithRoles('Billing')), 'c0')).toEqual({ quickReplies: false, patientFile: false, recordKinds: ['invoice'] });
    expect(threadAccess(rolesOf(staffWithRoles('FrontDesk')), 'c0')).toEqual({ quickReplies: true, patientFile: true, recordKinds: ['appointment', 'invoice', 'prescription'] });
  });

  it('lets a Billing user who is also the clinic\'s Admin read its patients\' files, and nothing more', () => {
    const me: Me = { ...staffWithRoles('Billing'), memberships: [...staffWithRoles('Billing').memberships, { clinicId: 'c0', clinicName: 'Clinic 0', role: 'Admin' }] };
    expect(threadAccess(rolesOf(me), 'c0')).toEqual({ quickReplies: false, patientFile: true, recordKinds: ['invoice'] });
  });

  it('names roles as people read them, and unknown ones as the server sends them', () => {
    expect(roleName('FrontDesk')).toBe('Front desk');
    expect(roleName('Pharmacist')).toBe('Pharmacist');
  });
});
