import type { JSX, Ref } from 'preact';

type ButtonProps = Omit<JSX.HTMLAttributes<HTMLButtonElement>, 'disabled' | 'type'>;

/**
 * A button that stays where the keyboard is while its own action runs. The `disabled` attribute would take the button out
 * of the tab order the moment it is pressed, and the browser drops the focus to the page: a keyboard user who pressed
 * "Save" would have to find their way back from the top (found on walks, form after form). While `busy` the button is
 * aria-disabled instead (announced and drawn as unavailable) and ignores presses: a click, and a form's implicit
 * submission by Enter (which clicks the form's default button), are cancelled.
 *
 * `unavailable` is for a lasting reason the button cannot be used (nothing to send, no address on file): that one is the
 * real `disabled`, since the focus is not on a button that was never usable.
 */
export function BusyButton({
  busy,
  unavailable = false,
  type = 'button',
  onClick,
  buttonRef,
  ...rest
}: ButtonProps & { busy: boolean; unavailable?: boolean; type?: 'button' | 'submit'; buttonRef?: Ref<HTMLButtonElement> }) {
  return (
    <button
      {...rest}
      ref={buttonRef}
      type={type}
      disabled={unavailable}
      aria-disabled={busy || undefined}
      onClick={(event) => {
        if (busy) {
          event.preventDefault();
          return;
        }
        onClick?.call(event.currentTarget, event);
      }}
    />
  );
}
