// The clinic Admin's staff administration (/clinics/{clinicId}/staff): list, invite, resend, revoke, role, deactivate, reset two-step sign-in.
import { request } from './api';
import type { components } from './generated/openapi';

type Schemas = components['schemas'];

export type StaffRole = 'Clinician' | 'FrontDesk' | 'Billing' | 'Admin';
export const staffRoles: readonly StaffRole[] = ['Clinician', 'FrontDesk', 'Billing', 'Admin'];

export type StaffMember = Omit<Schemas['StaffMemberDto'], 'roles' | 'status'> & { roles: StaffRole[]; status: 'active' | 'deactivated' };
export type StaffInvitation = Omit<Schemas['StaffInvitationDto'], 'role'> & { role: StaffRole };
export type StaffRoster = { members: StaffMember[]; invitations: StaffInvitation[] };

const base = (clinicId: string) => `/clinics/${encodeURIComponent(clinicId)}/staff`;

export const staffApi = {
  roster: (clinicId: string) => request<StaffRoster>('GET', base(clinicId)),
  invite: (clinicId: string, email: string, displayName: string, role: StaffRole) =>
    request<StaffInvitation>('POST', `${base(clinicId)}/invitations`, { email, displayName, role } satisfies Schemas['InviteStaffRequest']),
  resend: (clinicId: string, invitationId: string) => request<StaffInvitation>('POST', `${base(clinicId)}/invitations/${encodeURIComponent(invitationId)}/resend`),
  revoke: (clinicId: string, invitationId: string) => request<void>('DELETE', `${base(clinicId)}/invitations/${encodeURIComponent(invitationId)}`),
  changeRole: (clinicId: string, userId: string, role: StaffRole) =>
    request<StaffMember>('PUT', `${base(clinicId)}/${encodeURIComponent(userId)}/role`, { role } satisfies Schemas['ChangeStaffRoleRequest']),
  deactivate: (clinicId: string, userId: string) => request<StaffMember>('POST', `${base(clinicId)}/${encodeURIComponent(userId)}/deactivate`),
  reactivate: (clinicId: string, userId: string) => request<StaffMember>('POST', `${base(clinicId)}/${encodeURIComponent(userId)}/reactivate`),
  /** Turns off a member's two-step sign-in (lost phone and recovery codes); they are signed out everywhere. */
  resetTwoStep: (clinicId: string, userId: string) => request<void>('POST', `${base(clinicId)}/${encodeURIComponent(userId)}/two-step/reset`),
};
