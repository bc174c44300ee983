import type { Me, Membership, Message, OfficeHours, Thread } from '../../types';

// Test builders of the server's shapes, in one place so that a field the server adds is added once. Each gives a plain,
// valid value; a test overrides what its case is about.

/** A conversation in a staff member's list: Pat at Northside wrote last, nothing unread, pinned, muted or archived. */
export const buildThread = (overrides: Partial<Thread> = {}): Thread => ({
  id: 't1',
  clinicId: 'c',
  clinicName: 'Northside',
  patientId: 'p',
  patientName: 'Pat',
  lastSeq: 3,
  lastActivityAt: '2026-11-20T10:00:00Z',
  lastMessagePreview: 'hello',
  lastSenderKind: 'patient',
  unreadCount: 0,
  archived: false,
  pinned: false,
  muted: false,
  patientHasPortalAccount: true,
  patientChatOptIn: true,
  patientOnline: false,
  ...overrides,
});

/** A message from staff as the server sends it: not sensitive, locked, withdrawn or automatic. */
export const buildMessage = (overrides: Partial<Message> = {}): Message => ({
  conversationId: 'c',
  seq: 1,
  clientMessageId: 'id-1',
  senderId: 's',
  senderKind: 'staff',
  senderName: 'Alice',
  text: 'hi',
  sentAt: '2026-11-21T09:30:00Z',
  sensitive: false,
  locked: false,
  withdrawn: false,
  automatic: false,
  ...overrides,
});

/** A staff member with one role per clinic (c0 "Clinic 0", c1 "Clinic 1", …); the chat and billing clinics as the server would report them. */
export const staffWithRoles = (...roles: Array<Membership['role']>): Me => ({
  userId: 'u1',
  kind: 'staff',
  sensitiveUntil: null,
  totpEnrolmentRequired: false,
  displayName: 'Olga',
  patientId: null,
  memberships: roles.map((role, i) => ({ clinicId: `c${i}`, clinicName: `Clinic ${i}`, role })),
  chatClinicIds: roles.flatMap((role, i) => (role === 'Clinician' || role === 'FrontDesk' ? [`c${i}`] : [])),
  billingClinicIds: roles.flatMap((role, i) => (role === 'Billing' ? [`c${i}`] : [])),
});

/** Northside's office hours in Berlin with no week and no closures set: open now, replies due within 8 hours. */
export const buildOfficeHours = (overrides: Partial<OfficeHours> = {}): OfficeHours => ({
  clinicName: 'Northside',
  timeZone: 'Europe/Berlin',
  weekly: [],
  closures: [],
  afterHoursReply: null,
  emergencyNote: null,
  replyTargetMinutes: 480,
  emailWhenOverdue: false,
  openNow: true,
  closesAt: null,
  opensAt: null,
  closedFor: null,
  ...overrides,
});
