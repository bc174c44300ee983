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
}

export interface ThreadPage {
  threads: Thread[];
  nextCursor: string | null;
}

export interface Message {
  conversationId: string;
  seq: number;
  clientMessageId: string;
  senderId: string;
  senderKind: SenderKind;
  senderName: string;
  text: string;
  sentAt: string;
}

export interface MessagePage {
  messages: Message[];
  lastSeq: number;
  hasMore: boolean;
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
  mobileNumber: string | null;
}

export interface Preferences {
  chatOptIn: boolean;
}

/** Mirror of IChatClient (src/Web/Realtime/ChatHub.cs): what the server pushes. */
export interface ChatClient {
  MessageAdded(message: Message): void;
  ConversationUpdated(update: { conversationId: string }): void;
  /** The connection's subscriptions are live: sync from the cursors now. */
  Subscribed(): void;
}
