import { LockIcon } from './Icons';

/** The lock on a sensitive message the viewer can read (staff always; a patient inside the window). */
export function SensitiveMark() {
  return (
    <span class="sensitive-mark" role="img" aria-label="Sensitive" title="Sensitive">
      <LockIcon />
    </span>
  );
}
