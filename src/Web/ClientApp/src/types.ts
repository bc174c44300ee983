// The /api/v1 JSON contract comes from the server's OpenAPI document (ClientApp/openapi.json, written by the
// Web build; src/generated/openapi.ts, generated from it by `npm run api-types`): a server change that
// breaks the client fails tsc. Hand-written here: only what the document leaves loose (the string fields
// the client switches on, narrowed to their values) and the hub's payloads, which OpenAPI does not describe.
import type { components } from './generated/openapi';

type Schemas = components['schemas'];
/** A generated schema with some fields narrowed (string codes to their values). */
type Narrowed<T, With extends { [K in keyof T]?: unknown }> = Omit<T, keyof With> & With;

export type UserKind = 'staff' | 'patient';
export type SenderKind = 'staff' | 'patient';
/**
 * Who wrote a message, as far as answering goes: the patient, a person at the clinic, or 'automatic', the clinic's
 * after-hours reply. That one sits on the staff side but answers nobody: the thread still needs a reply from a person.
 */
export type Author = SenderKind | 'automatic';

export type Membership = Narrowed<Schemas['MembershipDto'], { role: 'Clinician' | 'FrontDesk' | 'Billing' | 'Admin' }>;

/**
 * chatClinicIds: the clinics where the server lets this user chat with patients (its own rule; empty for Billing, Admin-only
 * and patients). billingClinicIds: the clinics where the user, Billing staff there, takes part in the threads about billing
 * only (null or empty for everyone else).
 */
export type Me = Narrowed<Schemas['MeDto'], { kind: UserKind; memberships: Membership[]; sensitiveUntil: string | null }>;

/** A correct password that needs a second step: the code from the authenticator app. */
export type LoginChallenge = Narrowed<Schemas['LoginChallengeDto'], { next: 'totp' }>;

export type TotpStatus = Schemas['TotpStatusDto'];
export type TotpSetup = Schemas['TotpSetupDto'];
export type RecoveryCodes = Schemas['RecoveryCodesDto'];
/** What an invitation link is for (the set-password page). */
export type Invitation = Schemas['InvitationDto'];
export type ClinicSecurity = Schemas['ClinicSecurityDto'];
/** Until when sensitive messages are shown, after re-entering the password. */
export type ReauthAnswer = Schemas['ReauthDto'];

/**
 * What a thread is about, as the patient chose when starting it or staff set since; it routes the thread (billing ones are
 * shared with the clinic's Billing staff). Null on a thread: none.
 */
export type Topic = 'appointments' | 'billing' | 'careTeam';

/** Where the clinic stands with a thread (staff only: a patient's threads never carry it). */
export type ThreadStatus = 'open' | 'waiting' | 'closed';
/** The staff sidebar's lists besides the Inbox and Archived (GET /conversations?filter=). */
export type ThreadFilter = 'needsReply' | 'mine' | 'unassigned' | 'closed';
export type ThreadTeam = Narrowed<Schemas['ThreadTeamDto'], { status: ThreadStatus; topic?: Topic | null }>;
export type Thread = Narrowed<Schemas['ThreadDto'], { lastSenderKind: Author | null; team?: ThreadTeam | null; topic?: Topic | null }>;
/** A clinician, front desk or Billing colleague (roles as the server names them): whom a thread can be assigned to. */
export type Colleague = Schemas['ColleagueDto'];

/** What a system line says happened; topic: for a change of topic, the thread's topic after it (null: none). */
export type TeamChange = Narrowed<
  Schemas['TeamChangeDto'],
  { kind: 'assigned' | 'unassigned' | 'status' | 'reopened' | 'topic'; status: ThreadStatus; topic?: Topic | null }
>;
/** A line only staff see, after message afterSeq: a system line (change) or a note. */
export type StaffItem = Narrowed<Schemas['StaffItemDto'], { kind: 'change' | 'note'; change: TeamChange | null }>;
export type ThreadPage = Narrowed<Schemas['ThreadPageDto'], { threads: Thread[] }>;

/** opened_locked: a sensitive message the patient has opened only locked (not re-authenticated since). */
export type MessageStatus = 'sent' | 'delivered' | 'read' | 'opened_locked';

/** locked: a sensitive message the patient opened only locked; readAt is when it was opened. */
export type ReadBy = Schemas['ReadByDto'];

/** locked: withheld from this viewer (a patient outside the re-authentication window): text "", no attachments or cards. */
export type Message = Narrowed<Schemas['MessageDto'], { senderKind: SenderKind; status?: MessageStatus | null; cards?: PatientRecord[] | null }>;

export type MessageAttachment = Schemas['MessageAttachmentDto'];

export type RecordKind = 'appointment' | 'invoice' | 'prescription';

/** A patient record a message can refer to: exactly one of the details is set, matching kind. */
export type PatientRecord = Narrowed<Schemas['RecordDto'], { kind: RecordKind }>;
export type RecordPage = Narrowed<Schemas['RecordListDto'], { items: PatientRecord[] }>;

export type UploadedAttachment = Schemas['AttachmentDto'];

/** How far one side has received and read. */
export type Receipts = Schemas['ReceiptsDto'];
export type MessagePage = Narrowed<Schemas['MessagePageDto'], { messages: Message[]; staffItems?: StaffItem[] | null }>;

export type Conversation = Schemas['ConversationDto'];
export type Patient = Schemas['PatientDto'];
export type Preferences = Schemas['PreferencesDto'];

/** Where a patient's notices go and their choice per clinic (the notice preferences). */
export type NoticeChannel = 'email' | 'sms';
export type NoticeSettings = Schemas['NoticeSettingsDto'];
export type ClinicNoticeChoice = Schemas['ClinicNoticeChoiceDto'];
export type QueuedNotice = Narrowed<Schemas['QueuedNoticeDto'], { channel: NoticeChannel }>;
/** A verification code is on its way to address (a mobile number as the server normalised it, E.164). */
export type ContactCodeSent = Narrowed<Schemas['ContactCodeSentDto'], { channel: NoticeChannel }>;
/** A notice in the development outbox, as its recipient would read it (Admins, Development only). */
export type DevelopmentOutboxEntry = Narrowed<Schemas['DevelopmentOutboxEntryDto'], { channel: NoticeChannel | 'none' }>;

/** One row of a clinic's audit log (ids and outcomes only, never message text). */
export type AuditEvent = Narrowed<Schemas['AuditEventDto'], { actorName: string | null; patientName: string | null }>;
export type AuditPatient = Schemas['AuditPatientDto'];
export type AuditPage = Narrowed<Schemas['AuditPageDto'], { events: AuditEvent[] }>;
export type AuditVerification = Narrowed<
  Schemas['AuditVerificationDto'],
  { problem: 'hash_mismatch' | 'prev_hash_mismatch' | 'checkpoint_signature_mismatch' | 'checkpoint_hash_mismatch' | null }
>;

/** A quick reply as written: the clinic's (personal false, kept by its Admins) or the caller's own. Shortcut without its "/". */
export type QuickReply = Schemas['QuickReplyDto'];
/** A quick reply filled in for one patient; unfilled names the placeholders left as written (the clinic has no phone set). */
export type FilledQuickReply = Schemas['FilledQuickReplyDto'];
/** What quick replies fill in for {clinic.name} and {clinic.phone}, and what its patients may start a conversation about (none: they may not). */
export type ClinicProfile = Narrowed<Schemas['ClinicProfileDto'], { patientTopics: Topic[] }>;
/** A country whose phone numbers the server can read: "GB", "United Kingdom", 44. */
export type Country = Schemas['CountryDto'];
/**
 * One of the patient's clinics and what it takes new conversations about (empty: none); chatOptIn false: the patient has
 * chat with it off; conversationId: their thread with it, which a new conversation continues.
 */
export type ClinicTopics = Narrowed<Schemas['ClinicTopicsDto'], { topics: Topic[] }>;
/** A conversation the patient started: the thread and its first message. */
export type PatientStart = Narrowed<Schemas['PatientStartDto'], { message: Message }>;

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';
/** One opening on a weekday, HH:mm in the clinic's time zone, closing the same day. */
export type OpeningHours = Narrowed<Schemas['OpeningHoursDto'], { day: Weekday }>;
/** Days the clinic is closed whatever its week says, both yyyy-MM-dd dates included. */
export type Closure = Schemas['ClosureDto'];
/**
 * A clinic's office hours and, as of the answer, whether it is open and until or from when (closedFor: the closure it is
 * closed for today). An empty week means no office hours: never "closed", no automatic reply.
 */
export type OfficeHours = Narrowed<Schemas['OfficeHoursDto'], { weekly: OpeningHours[] }>;
/** An Admin's office hours, everything at once. */
export type OfficeHoursRequest = Narrowed<Schemas['OfficeHoursRequest'], { weekly: OpeningHours[] }>;
/** One week's waits of one kind, in office minutes: how many, the median and 90th percentile (null with none), how many over the target. */
export type ResponseStats = Schemas['ResponseStatsDto'];
/** A week from Monday (yyyy-MM-dd, the clinic's zone): first answers by a person, and resolutions (threads marked done). */
export type ResponseWeek = Schemas['ResponseWeekDto'];
/** A clinic's response times, newest week first, empty weeks included; targetMinutes is its reply target in office minutes. */
export type ResponseReport = Schemas['ResponseReportDto'];

// Hub payloads (src/Web/Realtime): not in the OpenAPI document.

export interface RecordUpdate {
  recordId: string;
  conversationId: string;
  version: number;
}

export interface ReceiptsUpdate extends Receipts {
  conversationId: string;
  side: SenderKind;
  /** Staff only: the reader who moved the side (null for the patient's pushes). */
  readerName: string | null;
  readerId?: string | null;
  /** Staff only: how that reader's own cursors moved (the side's are the furthest of its readers'). */
  readerMove?: ReaderMove | null;
}

/**
 * One reader's read cursors before and after a move, and its time: the messages after readFromSeq up to readUpToSeq
 * were first read then (sensitive ones unlocked: after sensitiveReadFromSeq up to sensitiveReadUpToSeq).
 */
export interface ReaderMove {
  readFromSeq: number;
  readUpToSeq: number;
  sensitiveReadFromSeq: number;
  sensitiveReadUpToSeq: number;
  at: string;
}

/** Staff only: a staff line was added to a thread, and where the thread stands after it. */
export interface StaffItemPush {
  item: StaffItem;
  team: ThreadTeam;
}

export interface TypingUpdate {
  conversationId: string;
  side: SenderKind;
  name: string;
  /** Who is typing: on staff connections only, where a colleague's typing comes too (and one's own, to leave out). */
  userId?: string | null;
}

/** A hub command's answer (HubReply in src/Web/Realtime/ChatHub.cs): its value, or for a refusal the API's error code. */
export interface HubReply<T> {
  value: T | null;
  error: string | null;
}

/** Mirror of IChatClient (src/Web/Realtime/ChatHub.cs): what the server pushes. */
export interface ChatClient {
  /** In order; a clinic's staff get up to 50 ms of messages in one push, a patient one at a time. */
  MessageAdded(messages: Message[]): void;
  ConversationUpdated(update: { conversationId: string }): void;
  /** A message was withdrawn (recalled): fetch it again. */
  MessageWithdrawn(update: { conversationId: string; seq: number }): void;
  /** In order, batched as MessageAdded. */
  ReceiptsUpdated(receipts: ReceiptsUpdate[]): void;
  Typing(typing: TypingUpdate): void;
  PresenceChanged(presence: { conversationId: string; patientOnline: boolean }): void;
  /** A record that a message in the conversation refers to has changed: open cards fetch it again. */
  RecordUpdated(update: RecordUpdate): void;
  /** Staff only: a line only staff see (a system line or a note), with the thread's team state after it. */
  StaffItemAdded(push: StaffItemPush): void;
  /** Staff only, to the mentioned colleague: a note mentions them (never its words). */
  Mentioned(mention: { conversationId: string; itemSeq: number; byName: string }): void;
  /** The connection's subscriptions are live: sync from the cursors now. */
  Subscribed(): void;
}

