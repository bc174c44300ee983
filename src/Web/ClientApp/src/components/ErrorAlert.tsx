import { useEffect, useRef } from 'preact/hooks';

/**
 * A form's or panel's error, announced to screen readers as it appears; nothing when there is none. With `onRetry`
 * (a read that failed), a "Try again" button follows the message.
 */
export function ErrorAlert({ message, onRetry, class: extraClass }: { message: string | null | undefined; onRetry?: () => void; class?: string }) {
  const shown = useScrolledIntoView<HTMLParagraphElement>(message);
  return message ? (
    <p role="alert" class={extraClass ? `error ${extraClass}` : 'error'} ref={shown}>
      {message}
      {onRetry && (
        <>
          {' '}
          <button type="button" class="link-button" onClick={onRetry}>
            Try again
          </button>
        </>
      )}
    </p>
  ) : null;
}

/**
 * Brings a message into view when its text changes (a refusal or a confirmation under a long form would otherwise stand
 * below the fold, unseen): only as far as needed, and not at all when it is already in view.
 */
export function useScrolledIntoView<T extends HTMLElement>(text: string | null | undefined) {
  const element = useRef<T>(null);
  useEffect(() => {
    if (text) {
      element.current?.scrollIntoView?.({ block: 'nearest' });
    }
  }, [text]);
  return element;
}
