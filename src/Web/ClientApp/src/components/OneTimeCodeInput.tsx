import { useFocusOnMount } from './useFocusOnMount';

/**
 * A one-time code's box: digits on a phone's keypad, and the phone may offer the code it has just received. Room for 7
 * characters, since authenticator apps show the 6 digits in two groups and people type the space too.
 */
export function OneTimeCodeInput({
  code,
  onCode,
  name,
  pattern,
  autoFocus,
}: {
  code: string;
  onCode: (code: string) => void;
  name?: string;
  pattern?: string;
  /** Where the code is the one thing the page asks for (the sign-in's second step): typing goes straight in. */
  autoFocus?: boolean;
}) {
  const input = useFocusOnMount<HTMLInputElement>(autoFocus);
  return (
    <input
      ref={input}
      type="text"
      name={name}
      inputMode="numeric"
      autocomplete="one-time-code"
      pattern={pattern}
      maxLength={7}
      required
      value={code}
      onInput={(e) => onCode(e.currentTarget.value)}
    />
  );
}
