import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { passkeysApi } from '../passkeysApi';
import { msUntilWindowEnds, windowOpen } from '../logic/sensitive';

/**
 * The patient's re-authentication window: open after the password is entered again, closed by
 * "Hide sensitive messages" or when its time passes. `until` is null while closed; views re-fetch
 * whenever it changes (the server decides what each fetch shows, and enforces the end itself).
 */
export function useSensitiveWindow(initialUntil: string | null) {
  const [until, setUntil] = useState<string | null>(() => (windowOpen(initialUntil, new Date()) ? initialUntil : null));

  useEffect(() => {
    const wait = msUntilWindowEnds(until, new Date());
    if (wait === null) {
      if (until !== null) {
        setUntil(null);
      }
      return;
    }
    const timer = window.setTimeout(() => setUntil(null), wait);
    return () => window.clearTimeout(timer);
  }, [until]);

  const reauthenticate = useCallback(async (password: string) => {
    const { sensitiveUntil } = await api.reauth(password);
    setUntil(windowOpen(sensitiveUntil, new Date()) ? sensitiveUntil : null);
  }, []);

  /** The same window, opened with one of the account's passkeys instead of the password. */
  const reauthenticateWithPasskey = useCallback(async () => {
    const { sensitiveUntil } = await passkeysApi.reauthenticate();
    setUntil(windowOpen(sensitiveUntil, new Date()) ? sensitiveUntil : null);
  }, []);

  /** Ends the window on the server first: closing it only here would leave the next fetch showing the content again. */
  const hide = useCallback(async () => {
    await api.endReauth();
    setUntil(null);
  }, []);

  return { until, reauthenticate, reauthenticateWithPasskey, hide };
}
