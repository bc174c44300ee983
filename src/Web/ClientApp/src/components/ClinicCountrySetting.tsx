import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { Country } from '../types';
import { BusyButton } from './BusyButton';
import { ChangeOutcome } from './ChangeOutcome';
import { FieldError } from './FieldError';
import type { ClinicProfileLoad } from './useClinicProfile';
import { useProfileSave } from './useProfileSave';

/**
 * An Admin's "Country": the country the clinic's phone numbers are in, so that a number typed without + (the clinic's
 * phone, a patient's mobile) is read as one of its numbers (found on a walk: a London clinic on a deployment reading
 * numbers as US ones could not save 020 7946 0000 without +44). "Not set" leaves the deployment's default. The list is
 * the numbering plans the server knows, asked for once.
 */
export function ClinicCountrySetting({ clinicId, loaded }: { clinicId: string; loaded: ClinicProfileLoad }) {
  const [countries, setCountries] = useState<Country[] | null>(null);
  /** The Admin's choice ('' for not set), or the server's answer after a save; null: the loaded profile's. */
  const [chosen, setChosen] = useState<string | null>(null);
  const [readAs, setReadAs] = useState<string | null>(null);
  const { saving, save, status, fieldError, alert } = useProfileSave(loaded, 'country', 'The clinic’s country could not be loaded.');
  useEffect(() => {
    api.countries().then(setCountries, () => setCountries([]));
  }, []);
  const ready = loaded.profile !== null && countries !== null;
  const value = chosen ?? loaded.profile?.country ?? '';

  const submit = async (event: Event) => {
    event.preventDefault();
    await save(async () => {
      const profile = await api.setClinicCountry(clinicId, value || null);
      setChosen(profile.country ?? '');
      setReadAs(profile.numbersReadAs);
      return `Country saved: numbers without + are read as ${profile.numbersReadAs} numbers.`;
    }, 'The clinic’s country could not be saved. Try again.');
  };

  const invalid = fieldError !== null;
  return (
    <section class="clinic-country">
      <h2>
        <label for="clinic-country">Country</label>
      </h2>
      <form class="phone-form" onSubmit={(e) => void submit(e)} noValidate>
        <div class="phone-row">
          <select
            id="clinic-country"
            value={value}
            disabled={!ready}
            aria-invalid={invalid}
            aria-describedby={invalid ? 'clinic-country-help clinic-country-error' : 'clinic-country-help'}
            onChange={(e) => setChosen(e.currentTarget.value)}
          >
            <option value="">Not set</option>
            {countries?.map((country) => (
              <option key={country.code} value={country.code}>
                {country.name} (+{country.callingCode})
              </option>
            ))}
          </select>
          <BusyButton type="submit" busy={saving} unavailable={!ready}>
            Save country
          </BusyButton>
        </div>
        <FieldError id="clinic-country-error" message={fieldError} />
        <span id="clinic-country-help" class="setting-help">
          Phone numbers typed without + (the clinic’s, patients’ mobiles) are read as{' '}
          {readAs ?? loaded.profile?.numbersReadAs ?? 'the deployment’s'} numbers.
        </span>
      </form>
      <ChangeOutcome error={alert} status={status} />
    </section>
  );
}
