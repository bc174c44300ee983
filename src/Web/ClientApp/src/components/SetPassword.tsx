import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import type { Invitation, Me } from '../types';
import { BrokenLink } from './BrokenLink';
import { ErrorAlert } from './ErrorAlert';
import { InvitationPasswordFields } from './InvitationPasswordFields';
import { passwordRule } from '../logic/passwords';
import { roleName } from '../logic/roles';
import { BusyButton } from './BusyButton';

/** Why a link does not work, in words the invitee can act on (the server's codes from ApiErrors). */
function linkProblem(caught: unknown): string {
  if (caught instanceof ApiError) {
    switch (caught.code) {
      case 'invitation_expired':
        return 'This link has expired. Ask whoever invited you for a new one.';
      case 'invitation_used':
        return 'This link has been used already. Sign in with the password you chose, or ask for a new link.';
      case 'invitation_revoked':
        return 'This invitation was withdrawn. Ask whoever invited you.';
      case 'invitation_replaced':
        return 'This invitation was sent to you again, and only the newest link works. Use the link in the latest email.';
      case 'clinic_disabled':
        return "This clinic's ClinicChat account is disabled.";
      case 'not_found':
        return 'This link is not valid. Check that it was copied whole.';
      case 'rate_limited':
        return 'Too many attempts. Wait a minute and try again.';
    }
  }
  return 'The link could not be checked. Try again.';
}

type Page = { state: 'checking' } | { state: 'broken'; problem: string } | { state: 'ready'; invitation: Invitation };

/**
 * The page an invitation link opens (#/set-password/{token}: the token stays in the fragment, which no
 * server log sees). It says which clinic and email the link is for and asks for a password by the
 * usual policy; then the person is signed in (and, where required, goes on to set up two-step sign-in).
 */
export function SetPassword({ token, onSignedIn }: { token: string; onSignedIn: (me: Me) => void }) {
  const [page, setPage] = useState<Page>({ state: 'checking' });
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .lookupInvitation(token)
      .then((invitation) => setPage({ state: 'ready', invitation }))
      .catch((caught: unknown) => setPage({ state: 'broken', problem: linkProblem(caught) }));
  }, [token]);

  if (page.state === 'checking') {
    return <p class="loading">Checking your link…</p>;
  }
  if (page.state === 'broken') {
    return <BrokenLink problem={page.problem} />;
  }

  const { invitation } = page;
  const joining = invitation.clinicName ? `${invitation.clinicName} as ${roleName(invitation.role)}` : 'ClinicChat as an operator';
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!invitation.accountExists && password !== confirmation) {
      setError('The two passwords are not the same.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const me = await api.acceptInvitation(token, password);
      // The link is used up: take it out of the address bar and this history entry, then route on.
      window.history.replaceState(null, '', '/#/chat');
      window.dispatchEvent(new HashChangeEvent('hashchange'));
      onSignedIn(me);
    } catch (caught) {
      setError(caught instanceof ApiError && (caught.code === 'password_rejected' || caught.code === 'invalid_credentials') ? caught.message : linkProblem(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <form onSubmit={(e) => void submit(e)} aria-labelledby="set-password-title">
        <h1 id="set-password-title">{invitation.accountExists ? 'Join' : 'Set your password'}</h1>
        <p>
          Join {joining}. Your sign-in email is <strong>{invitation.email}</strong>.
        </p>
        {invitation.accountExists ? (
          <p>This email has a ClinicChat account already: enter its password to add this clinic to it.</p>
        ) : (
          <p>Choose a password of {passwordRule}.</p>
        )}
        {invitation.requiresTotp && <p>Next you will set up two-step sign-in with an authenticator app.</p>}
        {/* For password managers: the account this password belongs to. */}
        <input type="email" name="email" autocomplete="username" value={invitation.email} readOnly hidden />
        <InvitationPasswordFields
          existingAccount={invitation.accountExists}
          password={password}
          confirmation={confirmation}
          onPassword={setPassword}
          onConfirmation={setConfirmation}
        />
        <ErrorAlert message={error} />
        <BusyButton type="submit" busy={busy}>
          {invitation.accountExists ? 'Join' : 'Set password and sign in'}
        </BusyButton>
      </form>
    </main>
  );
}
