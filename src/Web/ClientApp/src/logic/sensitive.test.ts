import { describe, expect, it } from 'vitest';
import { isWithheld, msUntilWindowEnds, notificationFor, previewOf, sensitiveToggleTitle, windowEndGraceMs, windowOpen, windowStatusText } from './sensitive';
import type { Message } from '../types';
import { buildMessage } from './testing/builders';

const message = (overrides: Partial<Message> = {}): Message => buildMessage({ senderKind: 'patient', senderName: 'Pat', text: 'my test results', ...overrides });

describe('the sensitive-message window', () => {
  const now = new Date('2026-11-21T13:55:00Z');

  it('is open only before its end', () => {
    expect(windowOpen('2026-11-21T14:05:00Z', now)).toBe(true);
    expect(windowOpen('2026-11-21T13:55:00Z', now)).toBe(false);
    expect(windowOpen('2026-11-21T13:00:00Z', now)).toBe(false);
    expect(windowOpen(null, now)).toBe(false);
  });

  it('ends on a timer a moment after its time, so the re-fetch then finds the server closed too', () => {
    expect(msUntilWindowEnds('2026-11-21T14:05:00Z', now)).toBe(10 * 60_000 + windowEndGraceMs);
    expect(msUntilWindowEnds('2026-11-21T13:50:00Z', now)).toBeNull();
    expect(msUntilWindowEnds(null, now)).toBeNull();
  });

  it('never asks for a timer longer than a browser can wait', () => {
    expect(msUntilWindowEnds('2027-12-31T00:00:00Z', now)).toBe(2 ** 31 - 1);
  });

  it('says until when sensitive messages are visible, in local time', () => {
    const until = new Date(2026, 10, 21, 14, 5).toISOString();
    expect(windowStatusText(until, 'en-GB')).toBe('Sensitive messages visible until 14:05');
  });
});

describe('keeping sensitive content out of previews and notifications', () => {
  it('treats a message as withheld when it is sensitive or arrived locked', () => {
    expect(isWithheld(message())).toBe(false);
    expect(isWithheld(message({ sensitive: true }))).toBe(true);
    expect(isWithheld(message({ locked: true, text: '' }))).toBe(true);
  });

  it('says only "New sensitive message" and who from for a sensitive message', () => {
    for (const sensitive of [message({ sensitive: true }), message({ sensitive: true, locked: true, text: '' })]) {
      const shown = notificationFor(sensitive, 'Pat Doe');
      expect(shown).toEqual({ title: 'New sensitive message in ClinicChat', body: 'New sensitive message from Pat Doe.' });
    }
  });

  it('never puts message text into any notification', () => {
    const shown = notificationFor(message(), 'Pat Doe');
    expect(shown).toEqual({ title: 'New message in ClinicChat', body: 'New message from Pat Doe.' });
    expect(JSON.stringify(shown)).not.toContain('results');
  });

  it('previews a sensitive message as "Sensitive message" and any other by its text on one line', () => {
    expect(previewOf(message({ sensitive: true }))).toBe('Sensitive message');
    expect(previewOf(message({ text: 'see you\non Monday' }))).toBe('see you on Monday');
  });

  it('previews a message of files alone by their count and kind, never their names', () => {
    const file = (name: string, contentType: string) => ({ attachmentId: name, name, contentType, size: 1, url: '', previewUrl: null });
    const photo = file('rash-on-arm.jpg', 'image/jpeg');
    const pdf = file('hiv-test.pdf', 'application/pdf');
    expect(previewOf(message({ text: '', attachments: [photo] }))).toBe('📎 Photo');
    expect(previewOf(message({ text: '', attachments: [photo, photo] }))).toBe('📎 2 photos');
    expect(previewOf(message({ text: '', attachments: [pdf] }))).toBe('📎 File');
    expect(previewOf(message({ text: '', attachments: [photo, pdf] }))).toBe('📎 2 files');
    expect(previewOf(message({ text: '', sensitive: true, attachments: [pdf] }))).toBe('Sensitive message');
  });
});

describe('the composer lock', () => {
  it('explains itself to who is writing', () => {
    expect(sensitiveToggleTitle(true, 'staff')).toBe('The next message will be sensitive: the patient must re-enter their password to read it');
    expect(sensitiveToggleTitle(true, 'patient')).toBe('The next message will be sensitive: it stays hidden, on your devices too, until you re-enter your password');
    expect(sensitiveToggleTitle(false, 'patient')).toBe('Mark the next message sensitive');
  });
});
