import type { Me, Membership } from '../types';

/** A clinic where the user may chat with patients, named from their memberships. */
export interface ChatClinic {
  clinicId: string;
  clinicName: string;
}

/**
 * What the signed-in user may do, in one place. Chat follows the server's own rule (`/me`'s chatClinicIds:
 * Billing and Admin-only staff, and patients, get none) rather than a copy of it kept from the role names,
 * so the client can never offer Chat where the server would refuse it, or hide it where the server allows it.
 */
export interface Roles {
  /** Staff who may chat somewhere: they see Chat. */
  chats: boolean;
  /** Where a new conversation may be started, each clinic once. */
  chatClinics: ChatClinic[];
  /** Staff who chat for several clinics must see which clinic each thread is with; others keep a clean list. */
  chatsForSeveralClinics: boolean;
  /** The clinics where the user is an Admin: the audit logs they may read and the security settings they may change. */
  adminClinics: Membership[];
  isAdmin: boolean;
}

export function rolesOf(me: Me): Roles {
  const staff = me.kind === 'staff';
  const chatClinics = (staff ? me.chatClinicIds : []).map((clinicId) => ({
    clinicId,
    clinicName: me.memberships.find((m) => m.clinicId === clinicId)?.clinicName ?? '',
  }));
  const adminClinics = staff ? me.memberships.filter((m) => m.role === 'Admin') : [];
  return {
    chats: chatClinics.length > 0,
    chatClinics,
    chatsForSeveralClinics: chatClinics.length > 1,
    adminClinics,
    isAdmin: adminClinics.length > 0,
  };
}

const roleNames: Record<Membership['role'], string> = { Clinician: 'Clinician', FrontDesk: 'Front desk', Billing: 'Billing', Admin: 'Admin' };

/** A role as people read it ("Front desk"); a role this client does not know yet shows as the server names it. */
export function roleName(role: string): string {
  return roleNames[role as Membership['role']] ?? role;
}
