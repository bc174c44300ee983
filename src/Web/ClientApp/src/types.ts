// Mirrors of the /api/v1 JSON contract (src/Web/Api/Dtos.cs). Keep the two in step.

export type UserKind = 'staff' | 'patient';
export type SenderKind = 'staff' | 'patient';

export interface Membership {
  clinicId: string;
  clinicName: string;
  role: 'Clinician' | 'FrontDesk' | 'Billing' | 'Admin';
}

export interface Me {
  userId: string;
  kind: UserKind;
  displayName: string;
  patientId: string | null;
  memberships: Membership[];
  /** The clinics where the server lets this user chat with patients (its own rule; empty for Billing, Admin-only and patients). */
  chatClinicIds: string[];
  /** Patients: until when sensitive messages are shown after re-entering the password (ISO), or null. */
  sensitiveUntil: string | null;
  /** Staff whose clinic requires two-step sign-in and who have not set it up: this session may only enrol. */
  totpEnrolmentRequired: boolean;
}

/** A correct password that needs a second step: the code from the authenticator app. */
export interface LoginChallenge {
  next: 'totp';
}

export interface TotpStatus {
  enabled: boolean;
  requiredByClinic: boolean;
}

export interface TotpSetup {
  /** Base32, for typing into an authenticator app. */
  sharedKey: string;
  /** otpauth:// URI, for apps that take a link or a QR code. */
  otpauthUri: string;
}

export interface ClinicSecurity {
  requireStaffTotp: boolean;
}

export interface Thread {
  id: string;
  clinicId: string;
  clinicName: string;
  patientId: string;
  patientName: string;
  lastSeq: number;
  lastActivityAt: string;
  lastMessagePreview: string | null;
  lastSenderKind: SenderKind | null;
  unreadCount: number;
  archived: boolean;
  pinned: boolean;
  muted: boolean;
  patientHasPortalAccount: boolean;
  patientChatOptIn: boolean;
  /** Only on a single thread's summary (GET /conversations/{id}); lists leave it false. */
  patientOnline: boolean;
}

export interface ThreadPage {
  threads: Thread[];
  nextCursor: string | null;
}

/** opened_locked: a sensitive message the patient has opened only locked (not re-authenticated since). */
export type MessageStatus = 'sent' | 'delivered' | 'read' | 'opened_locked';

export interface ReadBy {
  userId: string;
  name: string;
  readAt: string;
  /** A sensitive message the patient opened only locked: readAt is when it was opened. */
  locked?: boolean;
}

export interface Message {
  conversationId: string;
  seq: number;
  clientMessageId: string;
  senderId: string;
  senderKind: SenderKind;
  senderName: string;
  /** Empty when locked. */
  text: string;
  sentAt: string;
  /** Marked sensitive by its sender: patients see it only after re-entering their password. */
  sensitive: boolean;
  /** Withheld from this viewer (a patient outside the re-authentication window): text "", no attachments or cards. */
  locked: boolean;
  /** On the caller's own side's messages, as of when the page was read. */
  status?: MessageStatus | null;
  /** Staff only: who on the other side read it, and when. */
  readBy?: ReadBy[] | null;
  attachments?: MessageAttachment[] | null;
  /** Patient records referred to, as they were when sent (id is the artifact id, version the version then). */
  cards?: Artifact[] | null;
}

export interface MessageAttachment {
  attachmentId: string;
  /** The sender's name for the file (path-free, without control or format characters); downloads are saved under it. */
  name: string;
  contentType: string;
  size: number;
  url: string;
  /** A small JPEG (image scaled down, PDF first page), when the server can make one. */
  previewUrl: string | null;
}

export type ArtifactKind = 'appointment' | 'invoice' | 'prescription';

/** From a FHIR Appointment. Times are ISO instants; status is the FHIR code (booked, cancelled, fulfilled, …). */
export interface AppointmentCard {
  start: string | null;
  end: string | null;
  provider: string | null;
  location: string | null;
  status: string;
  description: string | null;
}

/** From a FHIR Invoice. Status is the FHIR code (draft, issued, balanced, cancelled, …). */
export interface InvoiceCard {
  number: string | null;
  date: string | null;
  amount: number | null;
  /** ISO 4217 code, such as EUR. */
  currency: string | null;
  balance: number | null;
  status: string;
}

/** From a FHIR MedicationRequest. */
export interface PrescriptionCard {
  medication: string;
  instructions: string | null;
  prescriber: string | null;
  date: string | null;
  refills: number | null;
  status: string;
}

/** A patient record a message can refer to: exactly one of the details is set, matching kind. */
export interface Artifact {
  id: string;
  kind: ArtifactKind;
  /** Grows each time the clinic's system changes what the card shows. */
  version: number;
  updatedAt: string;
  appointment: AppointmentCard | null;
  invoice: InvoiceCard | null;
  prescription: PrescriptionCard | null;
}

export interface ArtifactPage {
  items: Artifact[];
}

export interface ArtifactUpdate {
  artifactId: string;
  conversationId: string;
  version: number;
}

export interface UploadedAttachment {
  attachmentId: string;
  contentType: string;
  size: number;
}

/** How far one side has received and read. */
export interface Receipts {
  deliveredUpToSeq: number;
  readUpToSeq: number;
  /** The patient's side: how far sensitive messages were read unlocked (after re-authentication). Staff: 0. */
  sensitiveReadUpToSeq: number;
}

export interface MessagePage {
  messages: Message[];
  lastSeq: number;
  hasMore: boolean;
  staffReceipts: Receipts;
  patientReceipts: Receipts;
}

export interface ReceiptsUpdate extends Receipts {
  conversationId: string;
  side: SenderKind;
  readerName: string | null;
}

export interface TypingUpdate {
  conversationId: string;
  side: SenderKind;
  name: string;
}

export interface Conversation {
  id: string;
  clinicId: string;
  patientId: string;
  createdAt: string;
  lastActivityAt: string;
  lastSeq: number;
  archived: boolean;
}

export interface Patient {
  id: string;
  displayName: string;
  hasPortalAccount: boolean;
  chatOptIn: boolean;
  /** Only for patients without a portal account (to offer SMS). */
  mobileNumber: string | null;
  /** The clinic already has a thread with this patient: starting one opens it. */
  hasConversation: boolean;
  /** What tells two patients of one name apart ("mobile ending 0042", a masked email); the directory has no date of birth. */
  hint: string | null;
}

export interface Preferences {
  chatOptIn: boolean;
}

/** Mirror of IChatClient (src/Web/Realtime/ChatHub.cs): what the server pushes. */
export interface ChatClient {
  MessageAdded(message: Message): void;
  ConversationUpdated(update: { conversationId: string }): void;
  ReceiptsUpdated(receipts: ReceiptsUpdate): void;
  Typing(typing: TypingUpdate): void;
  PresenceChanged(presence: { conversationId: string; patientOnline: boolean }): void;
  /** A record that a message in the conversation refers to has changed: open cards fetch it again. */
  ArtifactUpdated(update: ArtifactUpdate): void;
  /** The connection's subscriptions are live: sync from the cursors now. */
  Subscribed(): void;
}

/** One row of a clinic's audit log (ids and outcomes only, never message text). */
export interface AuditEvent {
  id: number;
  occurredAt: string;
  action: string;
  actorId: string;
  clinicId: string | null;
  patientId: string | null;
  conversationId: string | null;
  outcome: 'success' | 'denied' | 'failure' | string;
  detail: string | null;
  /** The actor's current name when they are this clinic's staff or patient ("System" for the product itself); null for anyone outside the clinic. */
  actorName: string | null;
  /** The patient's name when they are this clinic's patient. */
  patientName: string | null;
}

/** A patient of the clinic, as the audit page's patient filter offers them. */
export interface AuditPatient {
  id: string;
  displayName: string;
}

export interface AuditPage {
  events: AuditEvent[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

export interface AuditVerification {
  ok: boolean;
  rows: number;
  checkpoints: number;
  brokenAtId: number | null;
  position: number | null;
  problem: 'hash_mismatch' | 'prev_hash_mismatch' | 'checkpoint_signature_mismatch' | 'checkpoint_hash_mismatch' | null;
  checkpointId: number | null;
  detail: string | null;
}
