import { describe, expect, it } from 'vitest';
import { homeAddressFor, staffPageFor } from './staffPages';
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

describe('homeAddressFor', () => {
  it('puts the home page shown in the address when it stands in for another page or for none', () => {
    expect(homeAddressFor('chat', 'audit')).toBe('#/audit');
    expect(homeAddressFor('', 'audit')).toBe('#/audit');
    expect(homeAddressFor('audit', 'chat')).toBe('#/chat');
    expect(homeAddressFor('clinic', 'chat')).toBe('#/chat');
    expect(homeAddressFor('', 'chat')).toBe('#/chat');
    expect(homeAddressFor('chat', 'home')).toBe('#/home');
  });

  it('leaves the address of the page shown, Security shown for an enrolment, and #/dev-outbox while it is not known', () => {
    expect(homeAddressFor('audit', 'audit')).toBeNull();
    expect(homeAddressFor('chat', 'chat')).toBeNull();
    expect(homeAddressFor('staff', 'staff')).toBeNull();
    expect(homeAddressFor('chat', 'security')).toBeNull();
    expect(homeAddressFor('dev-outbox', 'audit')).toBeNull();
    expect(homeAddressFor('dev-outbox', 'chat')).toBeNull();
  });
});
