import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { accountApi } from '../accountApi';
import { ErrorAlert } from './ErrorAlert';
import { BusyButton } from './BusyButton';

/**
 * "Forgot password?": asks for the address and says what the server says, which is the same whether or not an account
 * uses it, so this page cannot be used to find out who has one.
 */
export function ForgotPassword({ onBack }: { onBack: () => void }) {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setSent((await accountApi.requestPasswordReset(email)).message);
    } catch (caught) {
      setError(caught instanceof ApiError && caught.code === 'rate_limited' ? 'Too many requests. Wait a few minutes and try again.' : 'That did not work. Try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <form onSubmit={(e) => void submit(e)} aria-labelledby="forgot-title">
        <h1 id="forgot-title">Reset your password</h1>
        {sent ? (
          <p role="status">{sent}</p>
        ) : (
          <>
            <p>Enter the email address you sign in with. We will send a link to choose a new password.</p>
            <label>
              Email
              <input type="email" name="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
            </label>
            <ErrorAlert message={error} />
            <BusyButton type="submit" busy={busy}>
              Send reset link
            </BusyButton>
          </>
        )}
        <button type="button" class="link-button" onClick={onBack}>
          Back to sign-in
        </button>
      </form>
    </main>
  );
}
