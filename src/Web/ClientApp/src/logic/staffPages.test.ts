import { describe, expect, it } from 'vitest';
import { auditLandingHash, staffPageFor } from './staffPages';
import { staffWithRoles } from './testing/builders';

describe('staffPageFor', () => {
  it('gives an Admin without a chat role the audit log for Chat, an empty address or a page they may not open', () => {
    const olga = staffWithRoles('Admin');
    expect(staffPageFor('chat', olga, false)).toBe('audit');
    expect(staffPageFor('', olga, false)).toBe('audit');
    expect(staffPageFor('home', olga, false)).toBe('audit');
    expect(staffPageFor('staff', olga, false)).toBe('staff');
    expect(staffPageFor('dev-outbox', olga, true)).toBe('dev-outbox');
  });

  it('gives those who chat Chat, and staff with neither chat nor Admin their roles page', () => {
    expect(staffPageFor('audit', staffWithRoles('Clinician'), false)).toBe('chat');
    expect(staffPageFor('chat', staffWithRoles('Admin', 'Clinician'), false)).toBe('chat');
    expect(staffPageFor('chat', { ...staffWithRoles('Clinician'), chatClinicIds: [] }, false)).toBe('home');
  });

  it('shows only Security while two-step enrolment is required', () => {
    expect(staffPageFor('staff', { ...staffWithRoles('Admin'), totpEnrolmentRequired: true }, false)).toBe('security');
  });
});

describe('auditLandingHash', () => {
  it('puts #/audit in the address when the audit log stands in for another page', () => {
    expect(auditLandingHash('chat', 'audit')).toBe('#/audit');
    expect(auditLandingHash('', 'audit')).toBe('#/audit');
  });

  it('leaves the address of the page shown, and #/dev-outbox while the server has not said whether it exists', () => {
    expect(auditLandingHash('audit', 'audit')).toBeNull();
    expect(auditLandingHash('chat', 'chat')).toBeNull();
    expect(auditLandingHash('dev-outbox', 'audit')).toBeNull();
  });
});
