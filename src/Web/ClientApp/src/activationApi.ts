// Portal invitations (staff) and the activation page (anonymous): the calls of issue 20's invitation part.
import { request } from './api';
import { createPasskey } from './passkeysApi';
import type { components } from './generated/openapi';
import type { Me } from './types';

type Schemas = components['schemas'];

export type PortalInvitationState = 'pending' | 'expired' | 'used' | 'cancelled' | 'locked';
export type InvitationChannel = 'email' | 'sms';

export type PortalInvitation = Omit<Schemas['PortalInvitationDto'], 'state' | 'channel'> & { state: PortalInvitationState; channel: InvitationChannel };
export type PortalInvitationStatus = Omit<Schemas['PortalInvitationStatusDto'], 'latest'> & { latest: PortalInvitation | null };
export type Activation = Omit<Schemas['ActivationDto'], 'channel'> & { channel: InvitationChannel };

const invitations = (clinicId: string, patientId: string) =>
  `/clinics/${encodeURIComponent(clinicId)}/patients/${encodeURIComponent(patientId)}/invitations`;

export const activationApi = {
  /** The latest invitation (null: never invited) and which channels a new one could use. */
  invitationStatus: (clinicId: string, patientId: string) => request<PortalInvitationStatus>('GET', invitations(clinicId, patientId)),
  invite: (clinicId: string, patientId: string, channel: InvitationChannel) =>
    request<PortalInvitation>('POST', invitations(clinicId, patientId), { channel } satisfies Schemas['PortalInvitationRequest']),
  /** A new link on the same channel; the old one stops working. */
  resend: (clinicId: string, patientId: string) => request<PortalInvitation>('POST', `${invitations(clinicId, patientId)}/resend`),
  cancel: (clinicId: string, patientId: string) => request<PortalInvitation>('POST', `${invitations(clinicId, patientId)}/cancel`),

  lookup: (token: string) => request<Activation>('POST', '/activation/lookup', { token } satisfies Schemas['ActivationTokenRequest']),
  /** 204 when the date matches; birth_date_mismatch (attempts left in the message) or invitation_locked otherwise. */
  checkBirthDate: (token: string, birthDate: string) =>
    request<void>('POST', '/activation/birth-date', { token, birthDate } satisfies Schemas['BirthDateRequest']),
  activate: (body: Schemas['ActivateRequest']) => request<Me>('POST', '/activation/activate', body),
  /** A new account whose way in is a passkey made on this device now: no password. */
  activateWithPasskey: async (body: Omit<Schemas['ActivateRequest'], 'password' | 'passkey'>): Promise<Me> => {
    const passkey = await createPasskey('/activation/passkey-options', { token: body.token, birthDate: body.birthDate, email: body.email });
    return request<Me>('POST', '/activation/activate', { ...body, password: null, passkey });
  },
};
