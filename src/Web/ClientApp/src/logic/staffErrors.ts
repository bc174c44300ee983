import { ApiError } from '../api';

/** A staff-administration refusal in words the Admin can act on (codes from the server's ApiErrors). */
export function staffProblem(caught: unknown, fallback: string): string {
  if (caught instanceof ApiError) {
    switch (caught.code) {
      case 'last_admin':
        return 'A clinic needs an Admin: make someone else an Admin first.';
      // The server says which: a member (change the role) or an invitation waiting (resend it).
      case 'already_member':
      case 'validation_failed':
      // The member has no two-step sign-in to reset (the server names them).
      case 'totp_not_set_up':
        return caught.message;
      case 'rate_limited':
        return 'Too many changes at once. Wait a minute and try again.';
      case 'not_found':
        return 'That person or invitation is no longer here. The list has been refreshed.';
      case 'forbidden':
        return 'Only Admins of this clinic manage its staff.';
    }
  }
  return fallback;
}
