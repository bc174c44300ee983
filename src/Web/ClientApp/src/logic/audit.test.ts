import { describe, expect, it } from 'vitest';
import type { AuditVerification, Me } from '../types';
import { adminClinics, auditExportUrl, auditListParams, auditRange, canChat, chatClinics, chatsForSeveralClinics, describeVerification, emptyAuditFilters } from './audit';

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

const verification = (overrides: Partial<AuditVerification>): AuditVerification => ({
  ok: true,
  rows: 0,
  checkpoints: 0,
  brokenAtId: null,
  position: null,
  problem: null,
  checkpointId: null,
  detail: null,
  ...overrides,
});

describe('roles', () => {
  it('lists only the clinics where the user is an Admin', () => {
    expect(adminClinics(staff('Clinician', 'Admin')).map((m) => m.clinicId)).toEqual(['c1']);
    expect(adminClinics({ ...staff('Admin'), kind: 'patient' })).toEqual([]);
  });

  it('gives an Admin-only user no chat', () => {
    expect(canChat(staff('Admin'))).toBe(false);
    expect(canChat(staff('Admin', 'Clinician'))).toBe(true);
  });

  it('follows the server on chat: a Billing user has roles but no chat', () => {
    expect(canChat(staff('Billing'))).toBe(false);
    expect(chatClinics(staff('Billing', 'FrontDesk'))).toEqual([{ clinicId: 'c1', clinicName: 'Clinic 1' }]);
  });

  it('names the clinic only for people who chat for more than one', () => {
    expect(chatsForSeveralClinics(staff('FrontDesk', 'FrontDesk'))).toBe(true);
    expect(chatsForSeveralClinics(staff('Clinician', 'Billing'))).toBe(false);
  });
});

describe('auditRange', () => {
  it('covers whole local days, with an exclusive end', () => {
    const { from, to } = auditRange({ fromDate: '2026-11-02', toDate: '2026-11-02' });
    expect(new Date(from!).getHours()).toBe(0);
    expect(new Date(from!).getDate()).toBe(2);
    expect(new Date(to!).getDate()).toBe(3);
    expect(new Date(to!).getHours()).toBe(0);
  });

  it('leaves out missing or malformed dates', () => {
    expect(auditRange({ fromDate: '', toDate: 'yesterday' })).toEqual({ from: undefined, to: undefined });
  });
});

describe('auditListParams', () => {
  it('sends only the filters that are set, and the cursor', () => {
    const params = auditListParams({ ...emptyAuditFilters, patientId: ' p1 ', action: 'message.sent' }, 42, 50);
    expect(params).toEqual({ patientId: 'p1', actorId: undefined, action: 'message.sent', from: undefined, to: undefined, before: 42, limit: 50 });
  });
});

describe('auditExportUrl', () => {
  it('names the format and the range', () => {
    const url = new URL(auditExportUrl('c 1', 'ndjson', { fromDate: '2026-11-02', toDate: '' }), 'http://x');
    expect(url.pathname).toBe('/api/v1/clinics/c%201/audit/export');
    expect(url.searchParams.get('format')).toBe('ndjson');
    expect(url.searchParams.get('from')).not.toBeNull();
    expect(url.searchParams.has('to')).toBe(false);
  });
});

describe('describeVerification', () => {
  it('says how many rows an intact chain has', () => {
    expect(describeVerification(verification({ rows: 12 }))).toBe('Chain intact: 12 rows.');
  });

  it('names the row and the problem of a broken chain', () => {
    expect(describeVerification(verification({ ok: false, rows: 4, brokenAtId: 17, position: 5, problem: 'hash_mismatch' }))).toBe(
      'Broken at row 17 (position 5): the row was changed.',
    );
  });
});
