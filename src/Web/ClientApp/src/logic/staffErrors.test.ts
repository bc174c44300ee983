import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import { staffProblem } from './staffErrors';

describe('staffProblem', () => {
  it('tells the Admin why the last Admin cannot be removed', () => {
    expect(staffProblem(new ApiError(409, 'last_admin', 'x'), 'fallback')).toMatch(/needs an Admin/);
  });

  it('shows the server’s own words for a refused field', () => {
    expect(staffProblem(new ApiError(400, 'validation_failed', 'email must be a plain email address', 'email'), 'fallback')).toBe(
      'email must be a plain email address',
    );
  });

  it('says whether the email is a member’s or has an invitation waiting, as the server tells', () => {
    const member = 'This person is a member of the clinic already: change their role in the staff list instead.';
    const waiting = 'This email has an invitation waiting: use its Resend in the staff list instead.';
    expect(staffProblem(new ApiError(409, 'already_member', member, 'email'), 'fallback')).toBe(member);
    expect(staffProblem(new ApiError(409, 'already_member', waiting, 'email'), 'fallback')).toBe(waiting);
  });

  it('falls back for anything else', () => {
    expect(staffProblem(new Error('network'), 'Could not save.')).toBe('Could not save.');
  });
});
