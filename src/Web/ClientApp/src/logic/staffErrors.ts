import { ApiError } from '../api';

/** A staff-administration refusal in words the Admin can act on (codes from the server's ApiErrors). */
export function staffProblem(caught: unknown, fallback: string): string {
  if (caught instanceof ApiError) {
    switch (caught.code) {
      case 'last_admin':
        return 'A clinic needs an Admin: make someone else an Admin first.';
      case 'already_member':
        return 'This email is on the staff list already: as a member, or with an invitation waiting (use its Resend).';
      case 'validation_failed':
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
