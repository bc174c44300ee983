import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { activationApi, type Activation } from '../activationApi';
import { passkeyCancelled, passkeysSupported } from '../passkeysApi';
import type { Me } from '../types';
import { BrokenLink } from './BrokenLink';
import { ErrorAlert } from './ErrorAlert';
import { InvitationPasswordFields } from './InvitationPasswordFields';
import { passwordRule } from '../logic/passwords';
import { BusyButton } from './BusyButton';

/** Why a link does not work, in words the patient can act on (the server's codes from ApiErrors). */
function linkProblem(caught: unknown): string {
  if (caught instanceof ApiError) {
    switch (caught.code) {
      case 'invitation_expired':
        return 'This link has expired. Ask your clinic for a new invitation.';
      case 'invitation_used':
        return 'This link has been used already. Sign in with the password you chose.';
      case 'invitation_revoked':
        return 'This invitation was withdrawn or replaced by a newer one. Use the latest link, or ask your clinic.';
      case 'invitation_locked':
        return 'This link is locked because the date of birth was entered wrongly three times. Ask your clinic for a new invitation.';
      case 'portal_account_exists':
        return 'You have a portal account already. Sign in instead.';
      case 'not_found':
        return 'This link is not valid. Check that it was copied whole.';
      case 'rate_limited':
        return 'Too many attempts. Wait a minute and try again.';
    }
  }
  return 'The link could not be checked. Try again.';
}

/** Refusals the patient can fix on the page; anything else means the link no longer works. */
const fixable = new Set(['birth_date_mismatch', 'portal_account_of_another', 'password_rejected', 'invalid_credentials', 'validation_failed', 'invitation_account_mismatch', 'passkey_rejected']);

type Page =
  | { state: 'checking' }
  | { state: 'broken'; problem: string }
  | { state: 'birth-date'; activation: Activation }
  | { state: 'account'; activation: Activation; birthDate: string };

/**
 * The page a portal invitation opens (#/activate/{token}; the token stays in the fragment, which no server log sees). It
 * names only the clinic and the masked address the link went to; the patient proves their date of birth, chooses a
 * password or makes a passkey (or, if their email has a portal account already, enters that password to add this clinic to
 * it), confirms chat, and lands signed in in their Inbox.
 */
export function ActivatePage({ token, onSignedIn }: { token: string; onSignedIn: (me: Me) => void }) {
  const [page, setPage] = useState<Page>({ state: 'checking' });
  const [birthDate, setBirthDate] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [chatOptIn, setChatOptIn] = useState(true);
  const [existingAccount, setExistingAccount] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    activationApi
      .lookup(token)
      .then((activation) => {
        setExistingAccount(activation.accountExists);
        setPage({ state: 'birth-date', activation });
      })
      .catch((caught: unknown) => setPage({ state: 'broken', problem: linkProblem(caught) }));
  }, [token]);

  const refused = (caught: unknown) => {
    if (caught instanceof ApiError && fixable.has(caught.code)) {
      if (caught.code === 'invalid_credentials') {
        // The email has a portal account: its password links this clinic to it, so no second password is asked for.
        setExistingAccount(true);
      }
      setError(caught.message);
    } else {
      setPage({ state: 'broken', problem: linkProblem(caught) });
    }
  };

  if (page.state === 'checking') {
    return <p class="loading">Checking your link…</p>;
  }
  if (page.state === 'broken') {
    return <BrokenLink problem={page.problem} />;
  }

  const { activation } = page;
  const checkBirthDate = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await activationApi.checkBirthDate(token, birthDate);
      setPage({ state: 'account', activation, birthDate });
    } catch (caught) {
      refused(caught);
    } finally {
      setBusy(false);
    }
  };

  if (page.state === 'birth-date') {
    return (
      <main class="signin">
        <form onSubmit={(e) => void checkBirthDate(e)} aria-labelledby="activate-title">
          <h1 id="activate-title">Activate your patient portal</h1>
          <p>
            <strong>{activation.clinicName}</strong> invited you (the link was sent to {activation.maskedAddress}). First, confirm it is you.
          </p>
          <label>
            Date of birth
            <input type="date" name="birthDate" required autocomplete="bday" value={birthDate} onInput={(e) => setBirthDate(e.currentTarget.value)} />
          </label>
          <ErrorAlert message={error} />
          <BusyButton type="submit" busy={busy}>
            Continue
          </BusyButton>
        </form>
      </main>
    );
  }

  const accountEmail = activation.email ?? email;
  const signedIn = (me: Me) => {
    // The link is used up: take it out of the address bar and this history entry, then open the Inbox.
    window.history.replaceState(null, '', '/#/inbox');
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    onSignedIn(me);
  };
  const activate = async (event: Event) => {
    event.preventDefault();
    if (!existingAccount && password !== confirmation) {
      setError('The two passwords are not the same.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      signedIn(await activationApi.activate({ token, birthDate: page.birthDate, email: activation.email ? null : email, password, chatOptIn }));
    } catch (caught) {
      refused(caught);
    } finally {
      setBusy(false);
    }
  };
  const activateWithPasskey = async () => {
    if (!activation.email && email.trim() === '') {
      setError('Enter the email address you will sign in with first.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      signedIn(await activationApi.activateWithPasskey({ token, birthDate: page.birthDate, email: activation.email ? null : email, chatOptIn }));
    } catch (caught) {
      if (passkeyCancelled(caught)) {
        setError('No passkey was made. Try again, or choose a password.');
      } else if (caught instanceof ApiError && caught.code === 'portal_account_exists') {
        // That email has a portal account: its password adds this clinic to it.
        setExistingAccount(true);
        setError(caught.message);
      } else {
        refused(caught);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <form onSubmit={(e) => void activate(e)} aria-labelledby="activate-title">
        <h1 id="activate-title">{existingAccount ? 'Add this clinic to your account' : 'Choose your password'}</h1>
        {activation.email ? (
          <p>
            Your sign-in email is <strong>{activation.email}</strong>.
          </p>
        ) : (
          <label>
            Email address (you sign in with it)
            <input type="email" name="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </label>
        )}
        {/* For password managers: the account this password belongs to. */}
        {activation.email && <input type="email" name="email" autocomplete="username" value={accountEmail} readOnly hidden />}
        {existingAccount ? (
          <p>This email has a portal account already: enter its password to add {activation.clinicName} to it.</p>
        ) : (
          <p>Choose a password of {passwordRule}.</p>
        )}
        <InvitationPasswordFields
          existingAccount={existingAccount}
          password={password}
          confirmation={confirmation}
          onPassword={setPassword}
          onConfirmation={setConfirmation}
        />
        <label class="checkbox">
          <input type="checkbox" checked={chatOptIn} onChange={(e) => setChatOptIn(e.currentTarget.checked)} />
          Chat with {activation.clinicName} through the portal
        </label>
        <ErrorAlert message={error} />
        <BusyButton type="submit" busy={busy}>
          {existingAccount ? 'Add clinic and sign in' : 'Activate and sign in'}
        </BusyButton>
        {!existingAccount && passkeysSupported() && (
          <div class="passkey-signin">
            <p>Or sign in without a password: a passkey uses this phone's Face ID, fingerprint or screen lock.</p>
            <BusyButton busy={busy} onClick={() => void activateWithPasskey()}>
              Activate with a passkey
            </BusyButton>
          </div>
        )}
      </form>
    </main>
  );
}
