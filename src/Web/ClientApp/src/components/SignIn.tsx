import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { landingHash, returnUrlFrom } from '../logic/returnUrl';
import type { Me } from '../types';
import { ErrorAlert } from './ErrorAlert';
import { ForgotPassword } from './ForgotPassword';
import { clockTime } from '../logic/format';
import { OneTimeCodeInput } from './OneTimeCodeInput';
import { useFocusOnMount } from './useFocusOnMount';
import { PasskeySignInButton } from './PasskeySignInButton';
import { BusyButton } from './BusyButton';
import { maxPasswordLength } from '../logic/passwords';

/** Why sign-in failed, in words: a locked account is told until when, and how to get back in sooner. */
function signInProblem(caught: unknown): string {
  if (caught instanceof ApiError && caught.code === 'account_locked') {
    const until = caught.lockedUntil ? ` until ${clockTime(caught.lockedUntil)}` : '';
    return `This account is temporarily locked${until} after too many wrong attempts. Try again then, or reset your password.`;
  }
  if (caught instanceof ApiError && caught.status === 429) {
    return 'Too many sign-in attempts from here just now. Wait a minute and try again.';
  }
  // The server's one answer for an unknown account and a wrong password says that repeated failures lock the account.
  return caught instanceof ApiError && caught.status === 401 ? caught.message : 'Sign-in failed. Try again.';
}

/**
 * Email and password, then (for accounts with two-step sign-in) the code from the authenticator app.
 * notice: a status to show above the form (after a password reset).
 */
export function SignIn({ onSignedIn, notice }: { onSignedIn: (me: Me) => void; notice?: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  /** The second step with a recovery code instead of the authenticator (a lost phone). */
  const [withRecoveryCode, setWithRecoveryCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [forgot, setForgot] = useState(false);

  const signedIn = (me: Me) => {
    const returnUrl = returnUrlFrom(window.location.search);
    if (returnUrl !== null) {
      // An ops page (the Orleans Dashboard) sent an anonymous visitor here: back to it.
      window.location.assign(returnUrl);
      return;
    }
    window.location.hash = landingHash(window.location.hash, me.kind === 'staff' ? 'staff' : 'patient');
    onSignedIn(me);
  };

  const submitPassword = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await api.login(email, password);
      if ('next' in result) {
        setPassword('');
        setNeedsCode(true);
        return;
      }
      signedIn(result);
    } catch (caught) {
      setError(signInProblem(caught));
    } finally {
      setBusy(false);
    }
  };

  const submitCode = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      signedIn(await (withRecoveryCode ? api.loginWithRecoveryCode(code) : api.loginWithCode(code)));
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'account_locked') {
        setError(signInProblem(caught));
        setNeedsCode(false);
        setCode('');
      } else if (caught instanceof ApiError && caught.status === 401) {
        // The half-way state lasts a few minutes; after that (or a lockout) start again from the password.
        setError(
          withRecoveryCode
            ? 'That recovery code did not work (each works once). Enter your password again, then another code.'
            : 'That code did not work. Enter your password again, then a new code.',
        );
        setNeedsCode(false);
        setCode('');
      } else if (caught instanceof ApiError && caught.status === 429) {
        setError(signInProblem(caught));
      } else if (caught instanceof ApiError && caught.status === 400) {
        setError(withRecoveryCode ? 'Enter one of your recovery codes.' : 'Enter the 6-digit code your authenticator app shows.');
      } else {
        setError('Sign-in failed. Try again.');
      }
    } finally {
      setBusy(false);
    }
  };

  if (forgot) {
    return <ForgotPassword onBack={() => setForgot(false)} />;
  }

  if (needsCode) {
    return (
      <main class="signin">
        <form onSubmit={(e) => void submitCode(e)} aria-labelledby="signin-title">
          <h1 id="signin-title">Two-step sign-in</h1>
          {withRecoveryCode ? (
            <>
              <p>Enter one of the recovery codes you saved when you set up two-step sign-in. Each works once.</p>
              <label>
                Recovery code
                <RecoveryCodeInput code={code} onCode={setCode} />
              </label>
            </>
          ) : (
            <>
              <p>Enter the code your authenticator app shows for ClinicChat.</p>
              <label>
                Authentication code
                <OneTimeCodeInput name="code" pattern="[0-9 ]{6,7}" code={code} onCode={setCode} autoFocus />
              </label>
            </>
          )}
          <ErrorAlert message={error} />
          <BusyButton type="submit" busy={busy}>
            Verify
          </BusyButton>
          <button
            type="button"
            class="link-button"
            onClick={() => {
              setWithRecoveryCode(!withRecoveryCode);
              setCode('');
              setError(null);
            }}
          >
            {withRecoveryCode ? 'Use the code from my authenticator app' : 'Lost your phone? Use a recovery code'}
          </button>
        </form>
      </main>
    );
  }

  return (
    <main class="signin">
      <form onSubmit={(e) => void submitPassword(e)} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to ClinicChat</h1>
        {notice && <p role="status">{notice}</p>}
        <label>
          Email
          <input type="email" name="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          Password
          <input
            type="password" maxLength={maxPasswordLength}
            name="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <ErrorAlert message={error} />
        <BusyButton type="submit" busy={busy}>
          Sign in
        </BusyButton>
        <button type="button" class="link-button" onClick={() => setForgot(true)}>
          Forgot password?
        </button>
        <PasskeySignInButton onSignedIn={signedIn} onError={setError} />
      </form>
    </main>
  );
}

/** A recovery code's box, which takes the keyboard when the second step switches to it. */
function RecoveryCodeInput({ code, onCode }: { code: string; onCode: (code: string) => void }) {
  const input = useFocusOnMount<HTMLInputElement>();
  return <input ref={input} type="text" name="recovery-code" autocomplete="off" required maxLength={64} value={code} onInput={(e) => onCode(e.currentTarget.value)} />;
}
