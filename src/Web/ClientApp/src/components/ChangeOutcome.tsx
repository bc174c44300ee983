import { ErrorAlert, useScrolledIntoView } from './ErrorAlert';

/**
 * What a page's last change came to: its refusal as an alert, or the status saying what it did. The status line stands
 * even while empty (styles.css hides an empty one from the eye only), since screen readers announce only text put into
 * a live region that was already in the accessibility tree; one that appears, or is `display: none` until it has text,
 * can be missed.
 */
export function ChangeOutcome({
  error,
  status,
  statusClass = 'staff-status',
}: {
  error: string | null;
  status: string | null;
  statusClass?: string;
}) {
  const shown = useScrolledIntoView<HTMLParagraphElement>(status);
  return (
    <>
      <ErrorAlert message={error} />
      <p role="status" class={statusClass} ref={shown}>
        {status}
      </p>
    </>
  );
}
