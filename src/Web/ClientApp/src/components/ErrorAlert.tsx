/**
 * A form's or panel's error, announced to screen readers as it appears; nothing when there is none. With `onRetry`
 * (a read that failed), a "Try again" button follows the message.
 */
export function ErrorAlert({ message, onRetry, class: extraClass }: { message: string | null | undefined; onRetry?: () => void; class?: string }) {
  return message ? (
    <p role="alert" class={extraClass ? `error ${extraClass}` : 'error'}>
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
