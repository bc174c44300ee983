import { useState } from 'preact/hooks';
import { refusalOf, type Refusal } from '../logic/quickReplies';
import type { ClinicProfileLoad } from './useClinicProfile';

/**
 * Saving one section of the clinic's profile (the phone, the topics) from the settings page. The server's refusal of the
 * section's own field (`field`, as the server names it) shows beside that field; any other, or the load's while nothing
 * has been saved since, is the section's alert. The status says what the last save did.
 */
export function useProfileSave(loaded: ClinicProfileLoad, field: string, loadFailed: string) {
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [status, setStatus] = useState('');

  /** action: saves, and says what was saved; failed: what to say when the server gives no reason. */
  const save = async (action: () => Promise<string>, failed: string) => {
    setSaving(true);
    setRefusal(null);
    setStatus('');
    try {
      setStatus(await action());
    } catch (caught) {
      setRefusal(refusalOf(caught, failed));
    } finally {
      setSaving(false);
    }
  };

  const fieldError = refusal?.field === field ? refusal.message : null;
  const shown = refusal ?? (loaded.error ? refusalOf(loaded.error, loadFailed) : null);
  return { saving, save, status, setStatus, fieldError, alert: shown && fieldError === null ? shown.message : null };
}
