import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { landingHash, returnUrlFrom } from '../logic/returnUrl';
import type { Me } from '../types';
import { ErrorAlert } from './ErrorAlert';
import { PasskeySignInButton } from './PasskeySignInButton';

/** Email and password, then (for accounts with two-step sign-in) the code from the authenticator app. */
export function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
      // The server's one answer for a wrong password and a locked account says that a lockout may be why.
      setError(caught instanceof ApiError && caught.status === 401 ? caught.message : 'Sign-in failed. Try again.');
    } finally {
      setBusy(false);
    }
  };

  const submitCode = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      signedIn(await api.loginWithCode(code));
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 401) {
        // The half-way state lasts a few minutes; after that (or a lockout) start again from the password.
        setError('That code did not work. Enter your password again, then a new code.');
        setNeedsCode(false);
        setCode('');
      } else if (caught instanceof ApiError && caught.status === 400) {
        setError('Enter the 6-digit code your authenticator app shows.');
      } else {
        setError('Sign-in failed. Try again.');
      }
    } finally {
      setBusy(false);
    }
  };

  if (needsCode) {
    return (
      <main class="signin">
        <form onSubmit={(e) => void submitCode(e)} aria-labelledby="signin-title">
          <h1 id="signin-title">Two-step sign-in</h1>
          <p>Enter the code your authenticator app shows for ClinicChat.</p>
          <label>
            Authentication code
            <input
              type="text"
              name="code"
              inputMode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9 ]{6,7}"
              maxLength={7}
              required
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </label>
          <ErrorAlert message={error} />
          <button type="submit" disabled={busy}>
            Verify
          </button>
        </form>
      </main>
    );
  }

  return (
    <main class="signin">
      <form onSubmit={(e) => void submitPassword(e)} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to ClinicChat</h1>
        <label>
          Email
          <input type="email" name="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <ErrorAlert message={error} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <PasskeySignInButton onSignedIn={signedIn} onError={setError} />
      </form>
    </main>
  );
}
