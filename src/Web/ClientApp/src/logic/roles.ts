import type { Me, Membership, RecordKind, Topic } from '../types';

/** A clinic where the user may chat with patients, named from their memberships. */
export interface ChatClinic {
  clinicId: string;
  clinicName: string;
}

/**
 * What the signed-in user may do, in one place. Chat follows the server's own rule (`/me`'s chatClinicIds, and
 * billingClinicIds for Billing staff, who take part in the threads about billing only) rather than a copy of it kept from
 * the role names, so the client can never offer Chat where the server would refuse it, or hide it where the server allows it.
 */
export interface Roles {
  /** Staff who take part in threads somewhere (chat, or Billing in billing threads): they see Chat. */
  chats: boolean;
  /** Where a new conversation may be started, each clinic once (never a Billing-only clinic). */
  chatClinics: ChatClinic[];
  /** Where the user takes part in the threads about billing only (Billing staff who do not chat there). */
  billingClinics: ChatClinic[];
  /** Staff who chat for several clinics must see which clinic each thread is with; others keep a clean list. */
  chatsForSeveralClinics: boolean;
  /** "+ New conversation": only where the user chats; Billing staff answer the threads patients start. */
  startsConversations: boolean;
  /** Quick replies of their own (the Quick replies page, the composer's palette): where the user chats; the server refuses Billing. */
  keepsQuickReplies: boolean;
  /** The clinics where the user is an Admin: the audit logs they may read and the security settings they may change. */
  adminClinics: Membership[];
  isAdmin: boolean;
}

export function rolesOf(me: Me): Roles {
  const staff = me.kind === 'staff';
  const named = (clinicId: string) => ({ clinicId, clinicName: me.memberships.find((m) => m.clinicId === clinicId)?.clinicName ?? '' });
  const chatClinics = (staff ? me.chatClinicIds : []).map(named);
  // A clinic where the user chats already shows them every thread: it is never Billing-only as well.
  const billingClinics = (staff ? (me.billingClinicIds ?? []) : []).filter((id) => !me.chatClinicIds.includes(id)).map(named);
  const adminClinics = staff ? me.memberships.filter((m) => m.role === 'Admin') : [];
  return {
    chats: chatClinics.length + billingClinics.length > 0,
    chatClinics,
    billingClinics,
    chatsForSeveralClinics: chatClinics.length + billingClinics.length > 1,
    startsConversations: chatClinics.length > 0,
    keepsQuickReplies: chatClinics.length > 0,
    adminClinics,
    isAdmin: adminClinics.length > 0,
  };
}

/** Whether the user takes part, as staff, in a thread of the clinic about the topic: the server's ThreadTopics.RoutesTo. */
export function takesPartIn(roles: Roles, clinicId: string, topic: Topic | null | undefined): boolean {
  return roles.chatClinics.some((c) => c.clinicId === clinicId) || (topic === 'billing' && roles.billingClinics.some((c) => c.clinicId === clinicId));
}

const allRecordKinds: readonly RecordKind[] = ['appointment', 'invoice', 'prescription'];
const invoicesOnly: readonly RecordKind[] = ['invoice'];

/** What a staff member may do in one of a clinic's threads besides writing in it, so that nothing the server refuses is asked for. */
export interface ThreadAccess {
  /** Their quick replies, filled in for the thread's patient: those who chat at the clinic. */
  quickReplies: boolean;
  /** The patient's file (date of birth, MRN, editing) and portal invitations: those who chat there, and its Admins. */
  patientFile: boolean;
  /** The records they may attach and open as they are now: Billing staff the clinic's invoices only. */
  recordKinds: readonly RecordKind[];
}

export function threadAccess(roles: Roles, clinicId: string): ThreadAccess {
  const chats = roles.chatClinics.some((c) => c.clinicId === clinicId);
  return {
    quickReplies: chats,
    patientFile: chats || roles.adminClinics.some((m) => m.clinicId === clinicId),
    recordKinds: chats ? allRecordKinds : invoicesOnly,
  };
}

const roleNames: Record<Membership['role'], string> = { Clinician: 'Clinician', FrontDesk: 'Front desk', Billing: 'Billing', Admin: 'Admin' };

/** A role as people read it ("Front desk"); a role this client does not know yet shows as the server names it. */
export function roleName(role: string): string {
  return roleNames[role as Membership['role']] ?? role;
}
