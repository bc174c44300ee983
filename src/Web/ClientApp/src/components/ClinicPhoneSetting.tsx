import { useState } from 'preact/hooks';
import { api } from '../api';
import { ChangeOutcome } from './ChangeOutcome';
import { FieldError } from './FieldError';
import type { ClinicProfileLoad } from './useClinicProfile';
import { useProfileSave } from './useProfileSave';
import { BusyButton } from './BusyButton';

/**
 * An Admin's "Clinic phone": what quick replies fill in for {clinic.phone}. The server checks the number and writes
 * it as patients of the clinic's region dial it; the field then shows it so. Empty clears it. The profile comes from the
 * settings page, which reads it once for every section.
 */
export function ClinicPhoneSetting({ clinicId, loaded }: { clinicId: string; loaded: ClinicProfileLoad }) {
  /** What the Admin typed (or the server wrote back after a save); null: the loaded profile's number. */
  const [edited, setEdited] = useState<string | null>(null);
  const { saving, save, status, fieldError, alert } = useProfileSave(loaded, 'phone', 'The clinic phone could not be loaded.');
  const ready = loaded.profile !== null;
  const phone = edited ?? loaded.profile?.phone ?? '';

  const submit = async (event: Event) => {
    event.preventDefault();
    await save(async () => {
      const profile = await api.setClinicPhone(clinicId, phone);
      setEdited(profile.phone ?? '');
      return profile.phone ? `Clinic phone saved: ${profile.phone}.` : 'Clinic phone cleared.';
    }, 'The clinic phone could not be saved. Try again.');
  };

  const invalid = fieldError !== null;
  return (
    // Not a named region: its one field carries the name "Clinic phone", and a region named alike would make it ambiguous.
    // The heading is the field's label, so the name shows once.
    <section class="clinic-phone">
      <h2>
        <label for="clinic-phone">Clinic phone</label>
      </h2>
      <form class="phone-form" onSubmit={(e) => void submit(e)} noValidate>
        <div class="phone-row">
          <input
            id="clinic-phone"
            type="tel"
            autocomplete="off"
            value={phone}
            disabled={!ready}
            aria-invalid={invalid}
            aria-describedby={invalid ? 'clinic-phone-help clinic-phone-error' : 'clinic-phone-help'}
            onInput={(e) => setEdited(e.currentTarget.value)}
          />
          <BusyButton type="submit" busy={saving} unavailable={!ready}>
            Save phone
          </BusyButton>
        </div>
        <FieldError id="clinic-phone-error" message={fieldError} />
        <span id="clinic-phone-help" class="setting-help">
          Quick replies fill it in for {'{clinic.phone}'}. Leave it empty to clear it.
        </span>
      </form>
      <ChangeOutcome error={alert} status={status} />
    </section>
  );
}
