import { ApiError } from '../api';
import type { Me, QuickReply } from '../types';
import { rolesOf } from './roles';

// Quick replies: which ones a typed "/word" offers in the composer, what is left to fill in after one is inserted,
// and who keeps which list on the Quick replies page. The server decides every rule; these only choose what to show.

/** The placeholders the server fills in (as QuickReplyRules.Placeholders), in the order the help line names them. */
export const placeholders = ['{patient.firstName}', '{clinic.name}', '{clinic.phone}'] as const;

/** The help line under a reply's text and at the top of the page. */
export const placeholderHelp = `Placeholders, filled in for the thread's patient when you use a reply: ${placeholders.join(', ')}.`;

/** The palette's and the page's word for whose reply it is: the clinic's, or the user's own. */
export function replyScope(reply: { personal: boolean }): 'Clinic' | 'Mine' {
  return reply.personal ? 'Mine' : 'Clinic';
}

/** A reply's first line, cut at a word near max characters: enough to tell replies apart in one palette row. */
export function textStart(text: string, max = 60): string {
  const trimmed = text.trim();
  const line = trimmed.split('\n')[0]!.replace(/\s+/g, ' ').trim();
  if (line.length <= max) {
    return trimmed.includes('\n') ? `${line}…` : line;
  }
  const cut = line.slice(0, max);
  const lastSpace = cut.lastIndexOf(' ');
  // A long first word is cut where it must be, rather than leaving almost nothing.
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

/** The replies a typed "/word" could mean, by prefix of "/shortcut" (as the commands are); "/" alone lists all, in the server's order. */
export function matchQuickReplies<T extends { shortcut: string }>(typed: string, replies: readonly T[]): T[] {
  const word = typed.toLowerCase();
  if (!word.startsWith('/')) {
    return [];
  }
  return replies.filter((reply) => `/${reply.shortcut}`.startsWith(word));
}

/**
 * Whether a typed "/word" could still become a quick reply's shortcut (1–30 of a-z, 0-9 and "-", as the server
 * allows): while the replies are loading, such a word keeps the palette open so that Enter does not send it as text.
 */
export function couldBeShortcut(typed: string): boolean {
  return /^\/([a-z0-9][a-z0-9-]{0,29})?$/i.test(typed);
}

/** The placeholders of inserted replies that the draft still contains, each once, in the order given. */
export function placeholdersLeft(draft: string, unfilled: readonly string[]): string[] {
  return [...new Set(unfilled)].filter((placeholder) => draft.includes(placeholder));
}

/**
 * "Fill in {clinic.phone} before sending." near the composer; "" when nothing is left to fill in. Once a send was refused
 * for them (`refused`), it says so and that the first one is selected, so that the writer types over it.
 */
export function unfilledNote(left: readonly string[], refused = false): string {
  if (left.length === 0) {
    return '';
  }
  const names = left.length === 1 ? left[0]! : `${left.slice(0, -1).join(', ')} and ${left[left.length - 1]!}`;
  return refused
    ? `Not sent: fill in ${names} first (type over the selected ${left[0]!}), or delete ${left.length === 1 ? 'it' : 'them'}.`
    : `Fill in ${names} before sending.`;
}

/** A clinic on the Quick replies page, and which of its lists the user may change there. */
export interface QuickReplyClinic {
  clinicId: string;
  clinicName: string;
  /** Admins keep the clinic's replies; everyone else at the clinic reads them. */
  editsClinicReplies: boolean;
  /** Those who chat there (clinicians, front desk) keep replies of their own; an Admin-only user has none. */
  keepsOwnReplies: boolean;
  /** Admins set the clinic's phone, which {clinic.phone} stands for (on the Clinic page, which the page links to). */
  setsClinicPhone: boolean;
}

/** The clinics whose quick replies the user may see on the page: where they chat or are an Admin, each once. */
export function quickReplyClinics(me: Me): QuickReplyClinic[] {
  const { chatClinics, adminClinics } = rolesOf(me);
  const byId = new Map<string, QuickReplyClinic>();
  const entry = (clinicId: string, clinicName: string) => {
    const known = byId.get(clinicId) ?? { clinicId, clinicName, editsClinicReplies: false, keepsOwnReplies: false, setsClinicPhone: false };
    byId.set(clinicId, known);
    return known;
  };
  for (const clinic of chatClinics) {
    entry(clinic.clinicId, clinic.clinicName).keepsOwnReplies = true;
  }
  for (const membership of adminClinics) {
    const clinic = entry(membership.clinicId, membership.clinicName);
    clinic.editsClinicReplies = true;
    clinic.setsClinicPhone = true;
  }
  return [...byId.values()];
}

/** The clinic's replies and the user's own, each in the server's order. */
export function splitReplies(replies: readonly QuickReply[]): { clinic: QuickReply[]; mine: QuickReply[] } {
  return { clinic: replies.filter((r) => !r.personal), mine: replies.filter((r) => r.personal) };
}

/** A refusal shown beside the field it is about (shortcut, text, phone), or above the form when it names none. */
export interface Refusal {
  field: string | null;
  message: string;
}

/** The server's refusal of a quick reply or the clinic's phone, in its own words where it has them. */
export function refusalOf(caught: unknown, fallback: string): Refusal {
  if (!(caught instanceof ApiError)) {
    return { field: null, message: fallback };
  }
  switch (caught.code) {
    case 'validation_failed':
      return { field: caught.field, message: caught.message };
    case 'shortcut_taken':
      // The grain names the field, but the problem carries none: a taken shortcut is always the shortcut's problem.
      return { field: 'shortcut', message: caught.message };
    case 'forbidden':
      return { field: null, message: caught.message };
    case 'not_found':
      return { field: null, message: 'That reply is no longer here. The list has been refreshed.' };
    case 'rate_limited':
      return { field: null, message: 'Too many changes at once. Wait a minute and try again.' };
    default:
      return { field: null, message: fallback };
  }
}
