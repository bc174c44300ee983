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
    try {
      setSettings(await api.setClinicSecurity(clinic.clinicId, { requireStaffTotp: !settings.requireStaffTotp }));
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
      <ErrorAlert message={error} />
    </section>
  );
}
