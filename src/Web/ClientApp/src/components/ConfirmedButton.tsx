import { useEffect, useRef, useState } from 'preact/hooks';

/** The question an action asks in place before it is done, with the action and Cancel beside it. */
export function ConfirmInPlace({
  label,
  question,
  confirmText,
  onConfirm,
  onCancel,
  focusCancel = false,
}: {
  label: string;
  question: string;
  confirmText: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** When the control that asked is gone (a ConfirmedButton): the keyboard goes to Cancel, the safe choice. */
  focusCancel?: boolean;
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
 */
export function ConfirmedButton({ label, text, question, confirmText, onConfirm }: { label: string; text?: string; question: string; confirmText: string; onConfirm: () => void }) {
  const [confirming, setConfirming] = useState(false);
  // Cancelled: the button is back, and so is the keyboard on it.
  const button = useRef<HTMLButtonElement>(null);
  const cancelled = useRef(false);
  useEffect(() => {
    if (!confirming && cancelled.current) {
      cancelled.current = false;
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
        setConfirming(false);
        onConfirm();
      }}
      onCancel={() => {
        cancelled.current = true;
        setConfirming(false);
      }}
      focusCancel
    />
  ) : (
    <button type="button" aria-label={label} ref={button} onClick={() => setConfirming(true)}>
      {verb}
    </button>
  );
}
