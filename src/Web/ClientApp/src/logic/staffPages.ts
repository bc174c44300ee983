import type { Me } from '../types';
import { rolesOf } from './roles';

/** The pages of the staff app, each named as its address's section (`#/audit`). */
export type StaffPage = 'security' | 'staff' | 'quick-replies' | 'clinic' | 'dev-outbox' | 'audit' | 'home' | 'chat';

/**
 * The page a staff member sees for an address's section. A section they may not open (or none) gives their home page:
 * Chat for those who chat, the audit log for Admins who do not, and a page naming their roles for anyone else.
 */
export function staffPageFor(section: string, me: Me, devOutbox: boolean): StaffPage {
  const { chats, keepsQuickReplies, isAdmin } = rolesOf(me);
  // Staff who must enrol in two-step sign-in see only that; the server refuses everything else.
  if (section === 'security' || me.totpEnrolmentRequired) return 'security';
  if (isAdmin && section === 'staff') return 'staff';
  // Those who chat keep replies of their own; Admins keep the clinic's. Billing staff have none (the server refuses them).
  if ((keepsQuickReplies || isAdmin) && section === 'quick-replies') return 'quick-replies';
  // The clinic's own settings (its phone, its office hours) are its Admins'.
  if (isAdmin && section === 'clinic') return 'clinic';
  if (isAdmin && devOutbox && section === 'dev-outbox') return 'dev-outbox';
  // Admin-only staff (no chat role) land on the audit log: there is no chat for them to see.
  if (isAdmin && (section === 'audit' || !chats)) return 'audit';
  // Staff with neither chat nor the audit log (no clinic, or none that lets them chat) land on a page saying what their roles allow.
  if (!chats) return 'home';
  return 'chat';
}

/**
 * The address to put in place of the one shown, when a home page (Chat, the audit log of an Admin who does not chat, the
 * roles page of staff who do neither) stands in for an address the person may not open, or for none (sign-in sends
 * all staff to `#/chat`): the address bar then says where the person is, and a reload or a copied link opens the same
 * page. Left as they are: Security shown for a required enrolment (once enrolled, the address they came for opens),
 * and `#/dev-outbox`, whose existence is learnt from the server after the first render.
 */
export function homeAddressFor(section: string, page: StaffPage): string | null {
  const home = page === 'chat' || page === 'audit' || page === 'home';
  return home && page !== section && section !== 'dev-outbox' ? `#/${page}` : null;
}
