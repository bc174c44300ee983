import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { ClinicSecurity, Membership } from '../types';
import { ErrorAlert } from './ErrorAlert';
import { Switch } from './Switch';

/** An Admin's switch for their clinic: require two-step sign-in of every staff member (from their next sign-in). */
export function ClinicSecuritySettings({ clinic }: { clinic: Membership }) {
  const [settings, setSettings] = useState<ClinicSecurity | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** What the change just saved means, said once (it takes effect at each person's next sign-in, not now). */
  const [saved, setSaved] = useState<string | null>(null);
  const labelId = `require-totp-${clinic.clinicId}`;

  useEffect(() => {
    api.clinicSecurity(clinic.clinicId).then(setSettings, () => setError('Could not load the clinic settings.'));
  }, [clinic.clinicId]);

  const toggle = async () => {
    if (!settings) {
      return;
    }
    setSaving(true);
    setError(null);
    setSaved(null);
    try {
      const changed = await api.setClinicSecurity(clinic.clinicId, { requireStaffTotp: !settings.requireStaffTotp });
      setSettings(changed);
      setSaved(
        changed.requireStaffTotp
          ? 'Saved: two-step sign-in is required. Staff without an authenticator app (you too, if you have none) set one up at their next sign-in; "Two-step sign-in" at the top of this page shows yours.'
          : 'Saved: two-step sign-in is no longer required. Staff who use it keep it on.',
      );
    } catch {
      setError('Could not save the setting. Try again.');
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="preferences" aria-labelledby={`${labelId}-title`}>
      <h2 id={`${labelId}-title`}>{clinic.clinicName || 'Clinic'} security</h2>
      <div class="setting">
        <div>
          <p class="setting-name" id={labelId}>
            Require two-step sign-in for staff
          </p>
          <p class="setting-help">Staff without an authenticator app must set one up at their next sign-in before they can use ClinicChat.</p>
        </div>
        <Switch labelledBy={labelId} checked={settings?.requireStaffTotp ?? false} disabled={!settings || saving} onToggle={() => void toggle()} />
      </div>
      {saved && <p role="status">{saved}</p>}
      <ErrorAlert message={error} />
    </section>
  );
}
