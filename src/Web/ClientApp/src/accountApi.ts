// Account self-service (issue 20): password reset, sign out everywhere, chat with each clinic on or off.
import { request, type Body } from './api';
import type { components } from './generated/openapi';
import type { Preferences } from './types';

export type PasswordResetRequested = components['schemas']['PasswordResetRequestedDto'];

export const accountApi = {
  /** The same answer whether or not an account uses the address: the link simply never arrives otherwise. */
  requestPasswordReset: (email: string) =>
    request<PasswordResetRequested>('POST', '/auth/password-reset', { email } satisfies Body<'PasswordResetRequest'>),
  /** Whether a reset link still works (nothing is used up): 204, or 400 reset_link_invalid. */
  checkPasswordReset: (token: string) => request<void>('POST', '/auth/password-reset/check', { token } satisfies Body<'PasswordResetCheckRequest'>),
  /** 400 reset_link_invalid for a used, expired or broken link; password_rejected for a password the rules refuse. */
  confirmPasswordReset: (token: string, newPassword: string) =>
    request<void>('POST', '/auth/password-reset/confirm', { token, newPassword } satisfies Body<'PasswordResetConfirmRequest'>),
  /** Ends every session of the account, this browser's included. */
  logoutEverywhere: () => request<void>('POST', '/auth/logout/everywhere'),
  setClinicChat: (clinicId: string, chatOptIn: boolean) =>
    request<Preferences>('PUT', `/me/chat/${encodeURIComponent(clinicId)}`, { chatOptIn } satisfies Body<'ClinicChatRequest'>),
};
