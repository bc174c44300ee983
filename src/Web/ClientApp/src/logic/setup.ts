import type { ClinicProfile, OfficeHours } from '../types';
import type { StaffRoster } from '../staffApi';

export interface SetupStep {
  key: 'hours' | 'phone' | 'team';
  /** What to do, as the link to where it is done says it. */
  title: string;
  /** Why it matters, in a line. */
  why: string;
  href: string;
  done: boolean;
}

/**
 * What a clinic still needs before its patients and staff are well served, in the order a new clinic's Admin would do it:
 * the opening hours (patients see them by the message box, the automatic reply and the reply target count by them), the
 * phone patients can call (quick replies quote it), and the team that answers (someone besides the Admin, or an
 * invitation still open).
 */
export function setupSteps(hours: OfficeHours, profile: ClinicProfile, roster: StaffRoster, myUserId: string): SetupStep[] {
  return [
    {
      key: 'hours',
      title: 'Set your opening hours',
      why: 'Patients see them above their message box, and replies are timed in office hours.',
      href: '#/clinic',
      done: hours.weekly.length > 0,
    },
    {
      key: 'phone',
      title: 'Add the clinic’s phone',
      why: 'Quick replies quote it, for patients who need to call.',
      href: '#/clinic',
      done: profile.phone !== null,
    },
    {
      key: 'team',
      title: 'Invite your team',
      why: 'Clinicians and the front desk answer patients; nobody else can yet.',
      href: '#/staff',
      done: roster.members.some((m) => m.userId !== myUserId && m.status === 'active') || roster.invitations.some((i) => !i.expired),
    },
  ];
}
