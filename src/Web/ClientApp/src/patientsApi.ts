// Adding and editing a clinic's patients (staff): POST/GET/PUT /clinics/{clinicId}/patients.
import { request } from './api';
import { dayMonthYear, dayStart } from './logic/format';
import type { components } from './generated/openapi';

type Schemas = components['schemas'];

/** A patient of one clinic as the editor shows them (birthDate null: registered before dates of birth were kept). */
export type PatientFile = Schemas['PatientFileDto'];
/** What the editor sends: strings as typed; the server normalises them (E.164 mobile, lower-case email domain). */
export type PatientInput = Schemas['PatientRequest'];

export const patientsApi = {
  add: (clinicId: string, input: PatientInput) => request<PatientFile>('POST', `/clinics/${clinicId}/patients`, input),
  get: (clinicId: string, patientId: string) => request<PatientFile>('GET', `/clinics/${clinicId}/patients/${patientId}`),
  update: (clinicId: string, patientId: string, input: PatientInput) => request<PatientFile>('PUT', `/clinics/${clinicId}/patients/${patientId}`, input),
  recordSmsConsent: (clinicId: string, patientId: string) => request<PatientFile>('POST', `/clinics/${clinicId}/patients/${patientId}/sms-consent`),
};

/**
 * "7 Mar 1984" for a date of birth ("1984-03-07"). Read as a calendar date, not as UTC midnight, which a browser west
 * of Greenwich would show as the day before.
 */
export function birthDate(text: string, locale?: string): string {
  const [year, month, day] = text.split('-').map(Number);
  if (!year || !month || !day) {
    return text;
  }
  return dayMonthYear(locale).format(dayStart(year, month, day, 'local'));
}

/** What tells two people of one name apart in a list or a header: "born 7 Mar 1984 · MRN NS-1001". */
export function identifiers(patient: { birthDate?: string | null; mrn?: string | null }): string | null {
  const parts = [patient.birthDate ? `born ${birthDate(patient.birthDate)}` : null, patient.mrn ? `MRN ${patient.mrn}` : null].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : null;
}
