import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { accountApi } from '../accountApi';
import type { Me } from '../types';
import { BrokenLink } from './BrokenLink';
import { ErrorAlert } from './ErrorAlert';
import { SignIn } from './SignIn';
import { passwordRule, maxPasswordLength } from '../logic/passwords';
import { BusyButton } from './BusyButton';

/** Why a reset link does not work, whether the page learns it on opening or when the password is set. */
const linkProblem = 'It has expired, has been used already, or is not whole. Ask for a new one from the sign-in page (Forgot password?).';

function problemOf(caught: unknown): string {
  if (caught instanceof ApiError) {
    switch (caught.code) {
      case 'reset_link_invalid':
        return `This link does not work. ${linkProblem}`;
      case 'password_rejected':
        return caught.message;
      case 'rate_limited':
        return 'Too many attempts. Wait a few minutes and try again.';
    }
  }
  return 'The password could not be changed. Try again.';
}

/**
 * The page a reset link opens (#/reset-password/{token}: the token stays in the fragment, which no server log sees).
 * After the new password is set every session of the account has ended; the person signs in with it here.
 */
export function ResetPassword({ token, onSignedIn }: { token: string; onSignedIn: (me: Me) => void }) {
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  // Asked when the page opens, so that a used or expired link says so before a password is typed twice. If the
  // question itself fails (offline, rate limited), the form is shown: setting the password gives the answer then.
  const [link, setLink] = useState<'checking' | 'works' | 'invalid'>('checking');
  useEffect(() => {
    let current = true;
    accountApi.checkPasswordReset(token).then(
      () => current && setLink('works'),
      (caught) => current && setLink(caught instanceof ApiError && caught.code === 'reset_link_invalid' ? 'invalid' : 'works'),
    );
    return () => {
      current = false;
    };
  }, [token]);

  if (done) {
    return <SignIn onSignedIn={onSignedIn} notice="Your password has been changed and every session has been signed out. Sign in with your new password." />;
  }

  const submit = async (event: Event) => {
    event.preventDefault();
    if (password !== confirmation) {
      setError('The two passwords are not the same.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await accountApi.confirmPasswordReset(token, password);
      // The link is used up: out of the address bar and this history entry.
      window.history.replaceState(null, '', '/#/');
      setDone(true);
    } catch (caught) {
      setError(problemOf(caught));
    } finally {
      setBusy(false);
    }
  };

  if (link === 'invalid') {
    return <BrokenLink problem={linkProblem} />;
  }

  if (link === 'checking') {
    return (
      <main class="signin">
        <p role="status">Checking the link…</p>
      </main>
    );
  }

  return (
    <main class="signin">
      <form onSubmit={(e) => void submit(e)} aria-labelledby="reset-title">
        <h1 id="reset-title">Choose a new password</h1>
        <p>Choose a password of {passwordRule}. Every device signed in to your account will be signed out.</p>
        <label>
          New password
          <input type="password" maxLength={maxPasswordLength} name="new-password" autocomplete="new-password" required minLength={8} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <label>
          Repeat the new password
          <input
            type="password" maxLength={maxPasswordLength}
            name="confirm-password"
            autocomplete="new-password"
            required
            minLength={8}
            value={confirmation}
            onInput={(e) => setConfirmation(e.currentTarget.value)}
          />
        </label>
        <ErrorAlert message={error} />
        <BusyButton type="submit" busy={busy}>
          Set new password
        </BusyButton>
        <a href="/#/">Back to sign-in</a>
      </form>
    </main>
  );
}
