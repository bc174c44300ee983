import { useState } from 'preact/hooks';
import { rolesOf } from '../logic/roles';
import type { Me } from '../types';
import { ClinicCountrySetting } from './ClinicCountrySetting';
import { ClinicPhoneSetting } from './ClinicPhoneSetting';
import { ClinicPicker } from './ClinicPicker';
import { OfficeHoursSetting } from './OfficeHoursSetting';
import { PatientTopicsSetting } from './PatientTopicsSetting';
import { ResponseTimesReport } from './ResponseTimesReport';
import { useClinicProfile } from './useClinicProfile';

/**
 * An Admin's settings for their clinic: the country its phone numbers are in, the phone quick replies quote, what patients may start a conversation about, the
 * office hours patients see by the message box
 * (with the automatic reply sent while the clinic is closed, and the staff's reply target), and the weekly response times
 * measured against that target. The phone and the topics share one read of the clinic's profile; each section saves on
 * its own, and the report reads again after the hours are saved.
 */
export function ClinicSettingsPage({ me }: { me: Me }) {
  const clinics = rolesOf(me).adminClinics;
  const [clinicId, setClinicId] = useState(clinics[0]?.clinicId ?? '');
  const clinic = clinics.find((c) => c.clinicId === clinicId) ?? clinics[0];
  const [hoursSaved, setHoursSaved] = useState(0);
  const profile = useClinicProfile(clinic?.clinicId);

  if (!clinic) {
    return (
      <section class="staff-admin" aria-labelledby="clinic-settings-title">
        <h1 id="clinic-settings-title">Clinic</h1>
        <p class="empty">A clinic’s settings are for its Admins.</p>
      </section>
    );
  }

  return (
    <section class="staff-admin clinic-settings" aria-labelledby="clinic-settings-title">
      {/* The top bar's name for the page, as Staff and Security are: one name in both places says where the person is. */}
      <h1 id="clinic-settings-title">Clinic</h1>
      {clinics.length > 1 ? (
        <ClinicPicker clinics={clinics} value={clinic.clinicId} onChange={setClinicId} layout="stacked" />
      ) : (
        <p class="setting-help">{clinic.clinicName}</p>
      )}
      {/* Keyed by clinic: another clinic's settings start from its own answer, never from edits made to this one's. */}
      <ClinicCountrySetting key={`country-${clinic.clinicId}`} clinicId={clinic.clinicId} loaded={profile} />
      <ClinicPhoneSetting key={`phone-${clinic.clinicId}`} clinicId={clinic.clinicId} loaded={profile} />
      <PatientTopicsSetting key={`topics-${clinic.clinicId}`} clinicId={clinic.clinicId} loaded={profile} />
      <OfficeHoursSetting key={`hours-${clinic.clinicId}`} clinicId={clinic.clinicId} onSaved={() => setHoursSaved((n) => n + 1)} />
      <ResponseTimesReport key={`responses-${clinic.clinicId}`} clinicId={clinic.clinicId} refresh={hoursSaved} />
    </section>
  );
}
