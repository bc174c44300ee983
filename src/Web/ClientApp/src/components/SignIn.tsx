import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { returnUrlFrom } from '../logic/returnUrl';
import type { Me } from '../types';

export function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await api.login(email, password);
      const returnUrl = returnUrlFrom(window.location.search);
      if (returnUrl !== null) {
        // An ops page (the Orleans Dashboard) sent an anonymous visitor here: back to it.
        window.location.assign(returnUrl);
        return;
      }
      window.location.hash = me.kind === 'staff' ? '#/chat' : '#/inbox';
      onSignedIn(me);
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 401 ? 'Email or password is incorrect.' : 'Sign-in failed. Try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <form onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
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
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
