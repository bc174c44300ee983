import { ApiError } from '../api';
import type { NoticeChannel } from '../types';

/** The sentence beside the "Text me" switch: turning the switch on is the patient's consent to exactly this. */
export function smsConsentText(clinicName: string): string {
  return `I agree to receive text messages from ${clinicName || 'my clinic'} about new secure messages. Msg & data rates may apply. Reply STOP to stop.`;
}

/** Six digits, with the spaces and dashes people type between groups ignored (as the server reads it); null otherwise. */
export function normalizeCode(typed: string): string | null {
  const digits = typed.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** What a contact detail is called on screen. */
export function contactLabel(channel: NoticeChannel): string {
  return channel === 'email' ? 'email address' : 'mobile number';
}

/**
 * What the page says after a test notice: where it went, and, when that channel is off for the clinic, that no notice
 * like it will follow until the patient turns it on (a test is sent either way: the patient asked for it).
 */
export function testSentText(channel: NoticeChannel, maskedAddress: string, clinicName: string, channelOn: boolean): string {
  const sent = `Test ${channel === 'email' ? 'email' : 'text'} sent to ${maskedAddress}.`;
  if (channelOn) {
    return sent;
  }
  const notices = channel === 'email' ? 'Emails' : 'Texts';
  const switchName = channel === 'email' ? 'Email me when a message waits' : 'Text me';
  return `${sent} ${notices} about new messages from ${clinicName || 'this clinic'} are off: turn on “${switchName}” to get them.`;
}

/** A refusal of the notice or contact endpoints, in words a patient can act on. */
export function noticeErrorText(error: unknown, channel: NoticeChannel): string {
  if (!(error instanceof ApiError)) {
    return 'Something went wrong. Check your connection and try again.';
  }
  switch (error.code) {
    case 'verification_code_invalid':
      return 'That code is not right or has expired. Check it, or send a new code.';
    case 'contact_not_verified':
      return channel === 'sms' ? 'Add and verify a mobile number first.' : 'Add and verify an email address first.';
    case 'rate_limited':
      return 'Too many requests for now. Wait a few minutes and try again.';
    case 'validation_failed':
      if (error.field === 'code') {
        return 'Enter the 6-digit code we sent.';
      }
      if (error.field === 'email') {
        return 'That is not an email address.';
      }
      // A refused number among them: the server's words name the country a number without + is read in (the
      // deployment's setting), which this page cannot know (it said "outside the US" whatever the setting).
      return error.message;
    default:
      return `Could not update your ${contactLabel(channel)}. Try again.`;
  }
}

/** The steps of changing a contact detail: enter it, then the code sent to it. */
/** `address` is sent back to verify; `shown` is how it reads (a number grouped: "+1 201-555-0170"). */
export type ContactStep = { step: 'idle' } | { step: 'entering' } | { step: 'code-sent'; address: string; shown: string };
