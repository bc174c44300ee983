import { clockTime } from './format';
import type { Message, MessageAttachment, UserKind } from '../types';

/** What a patient sees instead of a sensitive message outside the window, beside the "Verify it's you" button that opens it. */
export const lockedPlaceholderText = 'Sensitive message';

/** Shown in the sidebar instead of a sensitive message's text. */
export const sensitivePreviewText = 'Sensitive message';

/** Whether a message's content must stay out of previews, titles and notifications (whether or not this viewer may read it). */
export function isWithheld(message: Pick<Message, 'sensitive' | 'locked'>): boolean {
  return message.sensitive || message.locked;
}

/** Whether the re-authentication window is open now. */
export function windowOpen(until: string | null, now: Date): boolean {
  return until !== null && Date.parse(until) > now.getTime();
}

/** Longest wait a browser timer takes (about 24.8 days); longer ones fire at once. */
const maxTimerMs = 2 ** 31 - 1;

/** A moment past the end, so that the re-fetch the end causes reaches the server after its window has closed too. */
export const windowEndGraceMs = 1500;

/**
 * How long to wait before treating the window as ended (and re-fetching); null when it is not open.
 * The server enforces the end anyway: the timer only makes the page follow without a reload.
 */
export function msUntilWindowEnds(until: string | null, now: Date): number | null {
  if (until === null || !windowOpen(until, now)) {
    return null;
  }
  return Math.min(Date.parse(until) - now.getTime() + windowEndGraceMs, maxTimerMs);
}

/** "Sensitive messages visible until 14:05", in local time. */
export function windowStatusText(until: string, locale?: string): string {
  return `Sensitive messages visible until ${clockTime(until, locale)}`;
}

/** The sidebar's one-line preview of a message: never a sensitive message's text, never a file's name. */
export function previewOf(message: Message): string {
  if (isWithheld(message)) {
    return sensitivePreviewText;
  }
  const text = message.text.replace(/\s+/g, ' ').trim();
  return text === '' ? (attachmentsPreview(message.attachments ?? []) ?? '') : text.slice(0, 140);
}

/** As the server writes it (AttachmentPreview): how many files and whether all are photos; a name can say too much. */
function attachmentsPreview(attachments: readonly MessageAttachment[]): string | null {
  if (attachments.length === 0) {
    return null;
  }
  const photos = attachments.every((a) => a.contentType.startsWith('image/'));
  if (attachments.length === 1) {
    return photos ? '📎 Photo' : '📎 File';
  }
  return photos ? `📎 ${attachments.length} photos` : `📎 ${attachments.length} files`;
}

/** A browser notification's title and body: who it is from, never what it says; a sensitive one says only that it is sensitive. */
export function notificationFor(message: Pick<Message, 'sensitive' | 'locked'>, from: string): { title: string; body: string } {
  return isWithheld(message)
    ? { title: 'New sensitive message in ClinicChat', body: `New sensitive message from ${from}.` }
    : { title: 'New message in ClinicChat', body: `New message from ${from}.` };
}

/**
 * The composer lock's explanation, true for who is writing: staff mark a message the patient must verify to read;
 * a patient's own sensitive message is hidden on their devices too (after sending as after a reload) until they verify.
 */
export function sensitiveToggleTitle(on: boolean, writer: UserKind): string {
  if (!on) {
    return 'Mark the next message sensitive';
  }
  return writer === 'staff'
    ? 'The next message will be sensitive: the patient must re-enter their password to read it'
    : 'The next message will be sensitive: it stays hidden, on your devices too, until you re-enter your password';
}
