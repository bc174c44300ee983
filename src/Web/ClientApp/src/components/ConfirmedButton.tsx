import { useEffect, useRef, useState } from 'preact/hooks';
import { BusyButton } from './BusyButton';

/** The question an action asks in place before it is done, with the action and Cancel beside it. */
export function ConfirmInPlace({
  label,
  question,
  confirmText,
  onConfirm,
  onCancel,
  focusCancel = false,
  class: className,
}: {
  label: string;
  question: string;
  confirmText: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** When the control that asked is gone (a ConfirmedButton): the keyboard goes to Cancel, the safe choice. */
  focusCancel?: boolean;
  class?: string;
}) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusCancel) {
      cancel.current?.focus();
    }
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- once, when the question appears
  return (
    // Escape answers no, as Cancel does: the question stands where a dialog would be, and a dialog closes on Escape.
    <span
      class={className}
      role="group"
      aria-label={`Confirm: ${label}`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onCancel();
        }
      }}
    >
      {question}{' '}
      <button type="button" class="danger" onClick={onConfirm}>
        {confirmText}
      </button>{' '}
      <button type="button" onClick={onCancel} ref={cancel}>
        Cancel
      </button>
    </span>
  );
}

/**
 * A button whose action takes a second click (Deactivate signs someone out everywhere; Revoke kills a link its holder
 * may be about to use, or an integration's tokens). The question is asked in place, not in the browser's own dialog,
 * which names the site instead of the action and cannot be styled or tested like the page.
 *
 * An action that returns a promise keeps the button busy (announced as unavailable, presses ignored) until it settles,
 * with the keyboard on it: the question's buttons are gone, and without it the keyboard fell to the page and the button
 * stood ready for a second press while the first was still on its way (found on a walk). Where the action moves the
 * row, the caller's own focus rule takes over once the button is gone (Withdraw: on what says the message was withdrawn).
 */
export function ConfirmedButton({
  label,
  text,
  question,
  confirmText,
  onConfirm,
  class: className,
  questionClass,
}: {
  label: string;
  text?: string;
  question: string;
  confirmText: string;
  onConfirm: () => void | Promise<unknown>;
  /** The button's class, where it is not an ordinary button (a link-like action inside a message). */
  class?: string;
  /** The question's class: how it stands where the button was. */
  questionClass?: string;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  // Answered (either way): the button is back, and so is the keyboard on it.
  const button = useRef<HTMLButtonElement>(null);
  const answered = useRef(false);
  useEffect(() => {
    if (!confirming && answered.current) {
      answered.current = false;
      button.current?.focus();
    }
  }, [confirming]);
  // Shown on the button: its first word, unless that alone would not say what it does.
  const verb = text ?? label.split(' ')[0];
  return confirming ? (
    <ConfirmInPlace
      label={label}
      question={question}
      confirmText={confirmText}
      onConfirm={() => {
        answered.current = true;
        setConfirming(false);
        const pending = onConfirm();
        if (pending) {
          setBusy(true);
          void pending.finally(() => setBusy(false));
        }
      }}
      onCancel={() => {
        answered.current = true;
        setConfirming(false);
      }}
      focusCancel
      class={questionClass}
    />
  ) : (
    <BusyButton busy={busy} class={className} aria-label={label} buttonRef={button} onClick={() => setConfirming(true)}>
      {verb}
    </BusyButton>
  );
}
