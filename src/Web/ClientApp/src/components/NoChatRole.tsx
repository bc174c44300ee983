import { roleName } from '../logic/roles';
import type { Me } from '../types';

/**
 * The landing page of staff whose roles include no patient chat (Billing staff of a server that does not share billing
 * threads with them, or an account with no clinic): it says what the account holds and what it can do here, instead of a
 * Chat screen the server would refuse.
 */
export function NoChatRole({ me }: { me: Me }) {
  if (me.memberships.length === 0) {
    // Deactivated at every clinic (or never given a role): the account stays, so that an Admin can reactivate it.
    return (
      <section class="no-chat" aria-labelledby="no-chat-title">
        <h1 id="no-chat-title">Welcome, {me.displayName}</h1>
        <p>Your account is not a member of any clinic at the moment, so there is nothing to open here.</p>
        <p>If you expected to see your clinic, ask one of its Admins to reactivate your account or to invite you again.</p>
        <p>
          Your password, two-step sign-in and passkeys are under <a href="#/security">Security</a>.
        </p>
      </section>
    );
  }
  return (
    <section class="no-chat" aria-labelledby="no-chat-title">
      <h1 id="no-chat-title">Welcome, {me.displayName}</h1>
      <p>Your account has these roles:</p>
      <ul>
        {me.memberships.map((m) => (
          <li key={`${m.clinicId}-${m.role}`}>
            {roleName(m.role)} at {m.clinicName}
          </li>
        ))}
      </ul>
      <p>
        Chat with patients is for clinicians and front desk (and, in conversations about billing, Billing staff), so there is no Chat here for
        your roles. Patients' invoices and records stay in
        your clinic's practice system.
      </p>
      <p>
        You can manage your password and two-step sign-in under <a href="#/security">Security</a>.
      </p>
    </section>
  );
}
