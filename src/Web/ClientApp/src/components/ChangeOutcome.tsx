import { ErrorAlert } from './ErrorAlert';

/**
 * What a staff page's last change came to: its refusal as an alert, or the status saying what it did. The status line
 * stands even while empty, since screen readers announce only text put into a live region that was already there.
 */
export function ChangeOutcome({ error, status }: { error: string | null; status: string | null }) {
  return (
    <>
      <ErrorAlert message={error} />
      <p role="status" class="staff-status">
        {status}
      </p>
    </>
  );
}
