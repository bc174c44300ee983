import type { AuditVerification } from '../types';
import { dayStart } from './format';

/** The filters of the audit page, as the form holds them (dates are the inputs' YYYY-MM-DD). */
export interface AuditFilters {
  patientId: string;
  actorId: string;
  action: string;
  fromDate: string;
  toDate: string;
}

export const emptyAuditFilters: AuditFilters = { patientId: '', actorId: '', action: '', fromDate: '', toDate: '' };

/** The actions the log records, for the filter: every one of AuditActions (src/Grains.Interfaces/Audit/AuditActions.cs), in its order; a Web test keeps them equal. */
export const auditActions = [
  'conversation.started',
  'conversation.viewed',
  'conversation.archived',
  'conversation.reopened',
  'message.sent',
  'message.read',
  'message.delivered',
  'attachment.uploaded',
  'attachment.downloaded',
  'preferences.changed',
  'thread.flags_changed',
  'thread.assigned',
  'thread.status_changed',
  'thread.topic_changed',
  'note.added',
  'message.withdrawn',
  'access.denied',
  'access.denied.summary',
  'patient.registered',
  'patients.searched',
  'threads.listed',
  'thread.viewed',
  'record.imported',
  'records.listed',
  'card.attached',
  'card.viewed',
  'reauth',
  'signin',
  'signout',
  'password.changed',
  'totp.enabled',
  'totp.disabled',
  'totp.recovery_codes_issued',
  'clinic.security_changed',
  'audit.viewed',
  'audit.exported',
  'audit.verified',
  'clinic.created',
  'clinic.disabled',
  'clinic.enabled',
  'invitation.issued',
  'invitation.accepted',
  'invitation.revoked',
  'notice.queued',
  'notice.suppressed',
  'notice.sent',
  'notice.failed',
  'notice.delivery_reported',
  'notice.preferences_changed',
  'sms.stopped',
  'sms.started',
  'contact.verified',
  'staff.invited',
  'staff.invitation_resent',
  'staff.role_changed',
  'staff.deactivated',
  'staff.reactivated',
  'patient.created',
  'patient.updated',
  'patient.sms_consent_recorded',
  'patient.invited',
  'patient.invitation_resent',
  'patient.invitation_cancelled',
  'patient.external_id_linked',
  'clinic.mrn_system_changed',
  'integration.registered',
  'integration.revoked',
  'integration.signed_in',
  'fhir.read',
  'activation.birth_date_mismatch',
  'activation.locked',
  'patient.activated',
  'patient.account_linked',
  'password.reset_requested',
  'password.reset',
  'signout.everywhere',
  'chat.opt_in_changed',
  'passkey.added',
  'passkey.removed',
  'quick_reply.created',
  'quick_reply.changed',
  'quick_reply.deleted',
  'clinic.profile_changed',
  'totp.reset_by_admin',
] as const;

/** The Action filter's groups, in the order shown: an auditor looks for an area first, then the exact code. */
const actionGroupOf: Record<string, string> = {
  conversation: 'Conversations and messages',
  message: 'Conversations and messages',
  attachment: 'Conversations and messages',
  thread: 'Conversations and messages',
  threads: 'Conversations and messages',
  note: 'Conversations and messages',
  card: 'Conversations and messages',
  quick_reply: 'Conversations and messages',
  patient: 'Patients and records',
  patients: 'Patients and records',
  record: 'Patients and records',
  records: 'Patients and records',
  fhir: 'Patients and records',
  activation: 'Patients and records',
  chat: 'Patients and records',
  preferences: 'Patients and records',
  signin: 'Sign-in and access',
  signout: 'Sign-in and access',
  reauth: 'Sign-in and access',
  password: 'Sign-in and access',
  totp: 'Sign-in and access',
  passkey: 'Sign-in and access',
  access: 'Sign-in and access',
  notice: 'Notices (email and SMS)',
  sms: 'Notices (email and SMS)',
  contact: 'Notices (email and SMS)',
  staff: 'Staff and clinic',
  invitation: 'Staff and clinic',
  clinic: 'Staff and clinic',
  integration: 'Staff and clinic',
  audit: 'The audit log itself',
};

/** The actions by area (the code's first part), each area's codes in alphabetical order; an unknown area goes last as "Other". */
export function auditActionGroups(actions: readonly string[] = auditActions): { label: string; actions: string[] }[] {
  const order = [...new Set(Object.values(actionGroupOf)), 'Other'];
  const groups = new Map<string, string[]>(order.map((label) => [label, []]));
  for (const action of actions) {
    groups.get(actionGroupOf[action.split('.')[0]!] ?? 'Other')!.push(action);
  }
  return order.map((label) => ({ label, actions: [...groups.get(label)!].sort() })).filter((group) => group.actions.length > 0);
}

/** The first and last instants the API can read (.NET's DateTimeOffset: years 0001 to 9999, in UTC). */
const apiEarliest = Date.parse('0001-01-01T00:00:00.000Z');
const apiLatest = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * Local midnight of a YYYY-MM-DD date (a date picker allows years 0001 to 275760) as an ISO instant; `days` shifts it
 * (1 makes an exclusive end). An instant beyond what the API can read (midnight of 0001-01-01 east of Greenwich, any
 * day after 9999) goes as the API's first or last instant: no event lies beyond them, so the same events are selected.
 */
function localDayStart(date: string, days = 0): string | undefined {
  const match = /^(\d{4,})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) {
    return undefined;
  }
  const time = dayStart(Number(match[1]), Number(match[2]), Number(match[3]) + days, 'local').getTime();
  // NaN: past the last day a JavaScript date can hold (275760-09-13), so past the API's last instant too.
  return new Date(Number.isNaN(time) ? apiLatest : Math.min(Math.max(time, apiEarliest), apiLatest)).toISOString();
}

/**
 * The API's range parameters for the form's dates, in the user's time zone: `from` is the start of
 * the first day, `to` the start of the day after the last (the API's `to` is exclusive).
 */
export function auditRange(filters: Pick<AuditFilters, 'fromDate' | 'toDate'>): { from?: string; to?: string } {
  return { from: localDayStart(filters.fromDate), to: localDayStart(filters.toDate, 1) };
}

/** The list endpoint's query parameters; empty filters are left out. */
export function auditListParams(filters: AuditFilters, before: number | null, limit = 50): Record<string, string | number | undefined> {
  return {
    patientId: filters.patientId.trim() || undefined,
    actorId: filters.actorId.trim() || undefined,
    action: filters.action || undefined,
    ...auditRange(filters),
    before: before ?? undefined,
    limit,
  };
}

/** The export link, for what the list shows filtered (every page of it): the server streams the file and names it. */
export function auditExportUrl(clinicId: string, format: 'csv' | 'ndjson', filters: AuditFilters): string {
  const search = new URLSearchParams({ format });
  const { patientId, actorId, action, from, to } = auditListParams(filters, null);
  for (const [name, value] of Object.entries({ patientId, actorId, action, from, to })) {
    if (value !== undefined) {
      search.set(name, String(value));
    }
  }
  return `/api/v1/clinics/${encodeURIComponent(clinicId)}/audit/export?${search.toString()}`;
}

const problems: Record<NonNullable<AuditVerification['problem']>, string> = {
  hash_mismatch: 'the row was changed',
  prev_hash_mismatch: 'a row before it was deleted, inserted or reordered',
  checkpoint_signature_mismatch: 'a checkpoint signature does not match',
  checkpoint_hash_mismatch: 'the chain was rewritten since a signed checkpoint',
};

/** One sentence for the Verify result. */
export function describeVerification(result: AuditVerification): string {
  if (result.ok) {
    return `Chain intact: ${result.rows} ${result.rows === 1 ? 'row' : 'rows'}.`;
  }
  const where = result.position === null ? `row ${result.brokenAtId}` : `row ${result.brokenAtId} (position ${result.position})`;
  return `Broken at ${where}: ${result.problem ? problems[result.problem] : 'unknown problem'}.`;
}
