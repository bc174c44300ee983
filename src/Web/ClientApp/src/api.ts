import type { AuditPage, AuditPatient, AuditVerification, ClinicProfile, ClinicSecurity, ClinicTopics, Colleague, Country, ContactCodeSent, Conversation, DevelopmentOutboxEntry, FilledQuickReply, Invitation, LoginChallenge, Me, Message, MessagePage, NoticeChannel, NoticeSettings, OfficeHours, OfficeHoursRequest, Patient, PatientRecord, PatientStart, Preferences, QueuedNotice, QuickReply, ReauthAnswer, Receipts, RecordKind, RecordPage, RecoveryCodes, ResponseReport, StaffItem, Thread, ThreadFilter, ThreadPage, ThreadStatus, ThreadTeam, Topic, TotpSetup, TotpStatus, UploadedAttachment } from './types';
import type { components } from './generated/openapi';
import { InFlight } from './logic/inFlight';

/**
 * A request body as the server's OpenAPI document describes it, so that a renamed or retyped field fails tsc.
 * Fields may be left out: the server reads a missing one as absent.
 */
export type Body<Name extends keyof components['schemas']> = { [K in keyof components['schemas'][Name]]?: components['schemas'][Name][K] };

/** An error answer from the API: its ProblemDetails code, for the UI to explain. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** For validation_failed: the request field that was refused, such as recordIds. */
    readonly field: string | null = null,
    /** For account_locked: until when (ISO, UTC). */
    readonly lockedUntil: string | null = null,
    /** For duplicate_patient: the patient the clinic has already. */
    readonly existingPatientId: string | null = null,
    /** For validation_failed of a form: every refused field and its message, in the form's order (the first is `field`). */
    readonly fieldErrors: Readonly<Record<string, string>> | null = null,
  ) {
    super(message);
  }
}

/** Dispatched on window when a request finds the session ended (signed out elsewhere, idle, expired). */
export const sessionEndedEvent = 'clinicchat:session-ended';

/**
 * The request was refused because the session has ended: the app goes back to sign-in (sessionEndedEvent), so a page
 * need not say that its own reading failed.
 */
export const sessionHasEnded = (error: unknown) => error instanceof ApiError && error.status === 401;

/**
 * Sent with every API request: the server refuses state-changing requests without it, because a form
 * on another site cannot send it (CSRF protection).
 */
const requestHeader = { 'X-ClinicChat-Request': '1' } as const;

/** The requests on their way, for signing out to wait for (api.settled). */
const inFlight = new InFlight();

export function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  return inFlight.track(send<T>(method, path, body));
}

async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/api/v1${path}`, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? { ...requestHeader } : { ...requestHeader, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) {
    return undefined as T;
  }
  const payload: unknown = await response.json().catch(() => null);
  if (response.status === 401 && !path.startsWith('/auth/')) {
    window.dispatchEvent(new Event(sessionEndedEvent));
  }
  if (!response.ok) {
    const problem = (payload ?? {}) as {
      code?: string;
      detail?: string;
      title?: string;
      field?: string;
      lockedUntil?: string;
      existingPatientId?: string;
      errors?: Record<string, string>;
    };
    throw new ApiError(
      response.status,
      problem.code ?? 'unknown',
      problem.detail ?? problem.title ?? response.statusText,
      problem.field ?? null,
      problem.lockedUntil ?? null,
      problem.existingPatientId ?? null,
      problem.errors ?? null,
    );
  }
  return payload as T;
}

const query = (params: Record<string, string | number | boolean | null | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
};

export const api = {
  /** Me when signed in; a challenge when the account needs its authenticator code next (loginWithCode). */
  login: (email: string, password: string) => request<Me | LoginChallenge>('POST', '/auth/login', { email, password } satisfies Body<'LoginRequest'>),
  loginWithCode: (code: string) => request<Me>('POST', '/auth/login/totp', { code } satisfies Body<'TotpCodeRequest'>),
  /** The second step with a recovery code instead of the authenticator (a lost phone); each code works once. */
  loginWithRecoveryCode: (code: string) => request<Me>('POST', '/auth/login/recovery-code', { code } satisfies Body<'RecoveryCodeRequest'>),
  changePassword: (currentPassword: string, newPassword: string) => request<void>('POST', '/auth/password', { currentPassword, newPassword } satisfies Body<'ChangePasswordRequest'>),
  totpStatus: () => request<TotpStatus>('GET', '/auth/totp'),
  /** A new authenticator key; confirm it with enableTotp. */
  setUpTotp: () => request<TotpSetup>('POST', '/auth/totp/setup'),
  enableTotp: (code: string) => request<Me>('POST', '/auth/totp/enable', { code } satisfies Body<'TotpCodeRequest'>),
  /** Ten new recovery codes, shown once; the earlier ones stop working. */
  newRecoveryCodes: () => request<RecoveryCodes>('POST', '/auth/totp/recovery-codes'),
  disableTotp: (password: string) => request<void>('DELETE', '/auth/totp', { password } satisfies Body<'TotpDisableRequest'>),
  clinicSecurity: (clinicId: string) => request<ClinicSecurity>('GET', `/clinics/${encodeURIComponent(clinicId)}/security`),
  setClinicSecurity: (clinicId: string, settings: ClinicSecurity) =>
    request<ClinicSecurity>('PUT', `/clinics/${encodeURIComponent(clinicId)}/security`, settings satisfies Body<'ClinicSecurityRequest'>),
  logout: () => request<void>('POST', '/auth/logout'),
  /** Once the requests on their way now are answered (at most `timeoutMs`): signing out waits so that none is refused for it. */
  settled: (timeoutMs: number) => inFlight.settled(timeoutMs),
  /** What an invitation link is for; the token travels in the body, never in a URL. */
  lookupInvitation: (token: string) => request<Invitation>('POST', '/invitations/lookup', { token } satisfies Body<'InvitationTokenRequest'>),
  /** Sets the password (or, for an existing account, proves it) and signs in. */
  acceptInvitation: (token: string, password: string) => request<Me>('POST', '/invitations/accept', { token, password } satisfies Body<'AcceptInvitationRequest'>),
  session: () => request<{ me: Me | null }>('GET', '/auth/session'),
  me: () => request<Me>('GET', '/me'),
  preferences: () => request<Preferences>('GET', '/me/preferences'),
  setChatOptIn: (chatOptIn: boolean) => request<Preferences>('PUT', '/me/preferences', { chatOptIn } satisfies Body<'UpdatePreferencesRequest'>),
  /** Where notices go and the choice per clinic (patients only). */
  notices: () => request<NoticeSettings>('GET', '/me/notices'),
  /** sms true is the patient's consent to text messages; 409 mobile_not_verified without a verified mobile. */
  setNoticeChoice: (clinicId: string, email: boolean, sms: boolean) =>
    request<NoticeSettings>('PUT', `/me/notices/${encodeURIComponent(clinicId)}`, { email, sms } satisfies Body<'NoticeChoiceRequest'>),
  sendTestNotice: (clinicId: string, channel: NoticeChannel) =>
    request<QueuedNotice>('POST', '/me/notices/test', { clinicId, channel } satisfies Body<'TestNoticeRequest'>),
  /** Texts a code to the number; the answer's address (E.164) is what verifyMobile sends back. */
  requestMobileCode: (number: string) => request<ContactCodeSent>('POST', '/me/contact/mobile', { number } satisfies Body<'ChangeMobileRequest'>),
  verifyMobile: (number: string, code: string) =>
    request<NoticeSettings>('POST', '/me/contact/mobile/verify', { number, code } satisfies Body<'VerifyMobileRequest'>),
  /** The same answer whether or not another account uses the address (the code then never arrives). */
  requestEmailCode: (email: string) => request<ContactCodeSent>('POST', '/me/contact/email', { email } satisfies Body<'ChangeEmailRequest'>),
  verifyEmail: (email: string, code: string) =>
    request<NoticeSettings>('POST', '/me/contact/email/verify', { email, code } satisfies Body<'VerifyEmailRequest'>),
  /** The clinic's latest notices as their recipients read them (Admins, Development only; 404 otherwise). */
  developmentOutbox: (clinicId: string) => request<DevelopmentOutboxEntry[]>('GET', `/clinics/${encodeURIComponent(clinicId)}/dev-outbox`),
  threads: (options: { archived?: boolean | null; search?: string; cursor?: string | null; limit?: number; filter?: ThreadFilter }) =>
    request<ThreadPage>('GET', `/conversations${query(options)}`),
  searchPatients: (text: string, limit: number, clinicId?: string) => request<Patient[]>('GET', `/patients${query({ query: text, limit, clinicId })}`),
  thread: (conversationId: string) => request<Thread>('GET', `/conversations/${conversationId}`),
  startConversation: (patientId: string, clinicId?: string) => request<Conversation>('POST', '/conversations', { patientId, clinicId } satisfies Body<'StartConversationRequest'>),
  /** The patient's clinics, each with what it takes new conversations about in the portal (patients only). */
  conversationTopics: () => request<ClinicTopics[]>('GET', '/me/conversation-topics'),
  /**
   * A patient starts a conversation about a topic the clinic offers: the clinic's thread with them takes the topic and the
   * message (201; 200 for a retry with the same clientMessageId). 400 validation_failed on topic or text, 403 forbidden when
   * the clinic takes no new conversations, 409 patient_opted_out while chat with it is off.
   */
  startAsPatient: (clinicId: string, topic: Topic, clientMessageId: string, text: string) =>
    request<PatientStart>('POST', '/me/conversations', { clinicId, topic, clientMessageId, text } satisfies Body<'PatientStartRequest'>),
  messages: (conversationId: string, options: { afterSeq?: number; beforeSeq?: number; limit?: number }) =>
    request<MessagePage>('GET', `/conversations/${conversationId}/messages${query(options)}`),
  send: (conversationId: string, clientMessageId: string, text: string, attachmentIds: string[] = [], recordIds: string[] = [], sensitive = false) =>
    request<Message>('POST', `/conversations/${conversationId}/messages`, { clientMessageId, text, attachmentIds, recordIds, sensitive } satisfies Body<'SendMessageRequest'>),
  /** Re-enters the password to open the window in which sensitive messages are shown; 401 invalid_credentials when wrong. */
  reauth: (password: string) => request<ReauthAnswer>('POST', '/auth/reauth', { password } satisfies Body<'ReauthRequest'>),
  /** Ends the sensitive-message window now. */
  endReauth: () => request<void>('DELETE', '/auth/reauth'),
  /** The thread patient's recent records of one kind, newest first (at most 20), for the composer's shortcuts. */
  /** The thread patient's records of a kind for the palette, what matters first; q keeps those whose words start with its words. */
  records: (conversationId: string, kind: RecordKind, q = '') =>
    request<RecordPage>('GET', `/conversations/${conversationId}/records${query({ kind, q: q || undefined })}`),
  /** A record as it is now; 404 not_found when the caller may no longer see it. */
  record: (recordId: string) => request<PatientRecord>('GET', `/records/${recordId}`),
  acknowledge: (conversationId: string, receipts: { deliveredUpToSeq?: number; readUpToSeq?: number }) =>
    request<Receipts>('POST', `/conversations/${conversationId}/receipts`, receipts satisfies Body<'ReceiptsRequest'>),
  setPinned: (conversationId: string, value: boolean) => request<{ value: boolean }>('PUT', `/conversations/${conversationId}/pin`, { value } satisfies Body<'FlagRequest'>),
  /** expected: the assignee the caller saw (null: unassigned); 409 assignment_changed if a colleague changed it meanwhile. */
  assign: (conversationId: string, staffUserId: string | null, expected?: string | null) =>
    request<ThreadTeam>('PUT', `/conversations/${conversationId}/assignee`, {
      staffUserId,
      expected: expected === undefined ? undefined : { staffUserId: expected },
    } satisfies Body<'AssigneeRequest'>),
  setStatus: (conversationId: string, status: ThreadStatus) =>
    request<ThreadTeam>('PUT', `/conversations/${conversationId}/status`, { status } satisfies Body<'StatusRequest'>),
  /** Routes the thread (staff who take part in it); 'none' clears the topic. A thread about billing is shared with the clinic's Billing staff. */
  setTopic: (conversationId: string, topic: Topic | 'none') =>
    request<ThreadTeam>('PUT', `/conversations/${conversationId}/topic`, { topic } satisfies Body<'TopicRequest'>),
  /** Withdraws one of the caller's own messages (within 5 minutes, unread by the patient; 409 recall_closed otherwise). */
  withdraw: (conversationId: string, seq: number) => request<Message>('POST', `/conversations/${conversationId}/messages/${seq}/withdraw`),
  /** An internal note (staff only); a retry with the same clientNoteId answers the note stored first. */
  addNote: (conversationId: string, clientNoteId: string, text: string, mentions: string[]) =>
    request<StaffItem>('POST', `/conversations/${conversationId}/notes`, { clientNoteId, text, mentions } satisfies Body<'AddNoteRequest'>),
  /** The clinic's clinicians, front desk and Billing staff, each with their roles (for those who chat there, and its Billing staff). */
  colleagues: (clinicId: string) => request<Colleague[]>('GET', `/clinics/${encodeURIComponent(clinicId)}/colleagues`),
  setMuted: (conversationId: string, value: boolean) => request<{ value: boolean }>('PUT', `/conversations/${conversationId}/mute`, { value } satisfies Body<'FlagRequest'>),
  /** The clinic's quick replies and the caller's own (any staff of the clinic), by shortcut. */
  quickReplies: (clinicId: string) => request<QuickReply[]>('GET', `/clinics/${encodeURIComponent(clinicId)}/quick-replies`),
  /** The caller's quick replies filled in for the patient (clinicians and front desk); unfilled names what the server could not fill. */
  filledQuickReplies: (clinicId: string, patientId: string) =>
    request<FilledQuickReply[]>('GET', `/clinics/${encodeURIComponent(clinicId)}/quick-replies/filled${query({ patientId })}`),
  /** personal false: the clinic's (Admins only; 403 forbidden otherwise). 409 shortcut_taken, 400 validation_failed on shortcut or text. */
  addQuickReply: (clinicId: string, shortcut: string, text: string, personal: boolean) =>
    request<QuickReply>('POST', `/clinics/${encodeURIComponent(clinicId)}/quick-replies`, { shortcut, text, personal } satisfies Body<'NewQuickReplyRequest'>),
  changeQuickReply: (clinicId: string, replyId: string, shortcut: string, text: string) =>
    request<QuickReply>('PUT', `/clinics/${encodeURIComponent(clinicId)}/quick-replies/${encodeURIComponent(replyId)}`, { shortcut, text } satisfies Body<'QuickReplyRequest'>),
  deleteQuickReply: (clinicId: string, replyId: string) =>
    request<void>('DELETE', `/clinics/${encodeURIComponent(clinicId)}/quick-replies/${encodeURIComponent(replyId)}`),
  /** The clinic's name and phone, as quick replies fill them in (any staff of the clinic). */
  clinicProfile: (clinicId: string) => request<ClinicProfile>('GET', `/clinics/${encodeURIComponent(clinicId)}/profile`),
  /** Admins: the server checks and formats the number (400 validation_failed on phone); an empty one clears it. */
  setClinicPhone: (clinicId: string, phone: string) =>
    request<ClinicProfile>('PUT', `/clinics/${encodeURIComponent(clinicId)}/profile`, { phone: phone.trim() || null } satisfies Body<'ClinicProfileRequest'>),
  /** The countries a clinic's phone numbers may be in, by name (for an Admin's choice). */
  countries: () => request<Country[]>('GET', '/countries'),
  /** Admins (403 forbidden otherwise): numbers typed without + are read as this country's; null: the deployment's default. 400 validation_failed on country. */
  setClinicCountry: (clinicId: string, country: string | null) =>
    request<ClinicProfile>('PUT', `/clinics/${encodeURIComponent(clinicId)}/country`, { country } satisfies Body<'ClinicCountryRequest'>),
  /** Admins (403 forbidden otherwise): what patients may start a conversation about, all at once; empty: they may not start one. */
  setPatientTopics: (clinicId: string, topics: Topic[]) =>
    request<ClinicProfile>('PUT', `/clinics/${encodeURIComponent(clinicId)}/patient-topics`, { topics } satisfies Body<'PatientTopicsRequest'>),
  /** The clinic's office hours and whether it is open now (its staff and its patients). */
  officeHours: (clinicId: string) => request<OfficeHours>('GET', `/clinics/${encodeURIComponent(clinicId)}/office-hours`),
  /**
   * Admins, everything at once (403 forbidden otherwise); 400 validation_failed names timeZone, weekly, closures,
   * afterHoursReply, emergencyNote or replyTargetMinutes.
   */
  setOfficeHours: (clinicId: string, hours: OfficeHoursRequest) =>
    request<OfficeHours>('PUT', `/clinics/${encodeURIComponent(clinicId)}/office-hours`, hours satisfies Body<'OfficeHoursRequest'>),
  /** The clinic's weekly response times, newest week first, in office minutes (Admins only; 403 forbidden for its other staff). */
  responseTimes: (clinicId: string, weeks: number) =>
    request<ResponseReport>('GET', `/clinics/${encodeURIComponent(clinicId)}/response-times${query({ weeks })}`),
  /** A page of the clinic's audit log, newest first (Admins of the clinic only; 404 for anyone else). */
  audit: (clinicId: string, params: Record<string, string | number | undefined>) =>
    request<AuditPage>('GET', `/clinics/${encodeURIComponent(clinicId)}/audit${query(params)}`),
  /** The clinic's patients by name, for the audit page's patient filter (Admins of the clinic only). */
  auditPatients: (clinicId: string, search: string) =>
    request<AuditPatient[]>('GET', `/clinics/${encodeURIComponent(clinicId)}/audit/patients${query({ query: search })}`),
  verifyAudit: (clinicId: string) => request<AuditVerification>('GET', `/clinics/${encodeURIComponent(clinicId)}/audit/verify`),
};

/**
 * Uploads one file with progress (fetch cannot report upload progress, XMLHttpRequest can).
 * Returns the promise and a way to cancel it.
 */
export function uploadAttachment(
  conversationId: string,
  file: File,
  onProgress: (fraction: number) => void,
): { done: Promise<UploadedAttachment>; cancel: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadedAttachment>((resolve, reject) => {
    xhr.open('POST', `/api/v1/conversations/${conversationId}/attachments`);
    for (const [name, value] of Object.entries(requestHeader)) {
      xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onload = () => {
      const payload: unknown = (() => {
        try {
          return JSON.parse(xhr.responseText);
        } catch {
          return null;
        }
      })();
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(payload as UploadedAttachment);
      } else {
        const problem = (payload ?? {}) as { code?: string; title?: string; detail?: string };
        // The title says what is wrong, the detail what to send instead ("Send images (JPEG, PNG…), PDF…"): both are
        // shown (a walk saw only "This kind of file cannot be sent." and had to guess what could be).
        const title = problem.title ?? 'Upload failed.';
        reject(new ApiError(xhr.status, problem.code ?? 'unknown', problem.detail && problem.detail !== title ? `${title} ${problem.detail}` : title));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'Upload failed. Check your connection and try again.'));
    xhr.onabort = () => reject(new ApiError(0, 'cancelled', 'Cancelled.'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { done, cancel: () => xhr.abort() };
}
