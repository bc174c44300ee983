import { request } from './api';
import type { components } from './generated/openapi';

export type IntegrationClient = components['schemas']['IntegrationClientDto'];
export type IntegrationClientList = components['schemas']['IntegrationClientListDto'];
type NewIntegrationClient = components['schemas']['NewIntegrationClientDto'];

const path = (clinicId: string) => `/clinics/${encodeURIComponent(clinicId)}/integrations`;

/** A clinic's EHR integrations (SMART Backend Services clients): its Admins register and revoke them. */
export const integrationsApi = {
  list: (clinicId: string) => request<IntegrationClientList>('GET', path(clinicId)),
  /** jwks: the text an Admin pasted (the server checks it holds public keys only); or jwksUrl. */
  register: (clinicId: string, client: { name: string; scopes: string[]; jwks: string | null; jwksUrl: string | null }) =>
    request<IntegrationClient>('POST', path(clinicId), client satisfies NewIntegrationClient),
  revoke: (clinicId: string, clientId: string) => request<IntegrationClient>('DELETE', `${path(clinicId)}/${encodeURIComponent(clientId)}`),
};

/** What each FHIR resource type is, in the clinic's words. */
export const resourceLabels: Record<string, string> = {
  Patient: 'Patients',
  Appointment: 'Appointments',
  MedicationRequest: 'Prescriptions',
  Invoice: 'Invoices',
};

/** "system/Appointment.write" → "write appointments". */
export const scopeLabel = (scope: string) => {
  const [resource, access] = scopeParts(scope);
  return `${access} ${(resourceLabels[resource] ?? resource).toLowerCase()}`;
};

/** "system/Appointment.write" → ["Appointment", "write"]: the scope table's row and column. */
export function scopeParts(scope: string): [string, string] {
  const [resource, access] = scope.replace(/^system\//, '').split('.');
  return [resource ?? scope, access ?? ''];
}
