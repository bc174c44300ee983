import { describe, expect, it } from 'vitest';
import type { Message } from '../types';
import { agoText, seenByColleagues, seenText, waitingPatientMessage } from './seen';
import { buildMessage } from './testing/builders';

const now = new Date('2026-11-21T10:00:00Z');
const patientMessage = (seq: number, readBy: Message['readBy'] = []): Message =>
  buildMessage({ conversationId: 'c1', seq, clientMessageId: `m${seq}`, senderId: 'p', senderKind: 'patient', senderName: 'Pat', sentAt: '2026-11-21T09:50:00Z', readBy });

describe('seenByColleagues', () => {
  const frankRead = { userId: 'frank', name: 'Frank Foster', readAt: '2026-11-21T09:58:00Z', locked: false };

  it('names the colleagues who read the waiting message, newest first, never the viewer', () => {
    const olgaRead = { userId: 'olga', name: 'Olga Admin', readAt: '2026-11-21T09:59:30Z', locked: false };
    const messages = [patientMessage(4, [frankRead, { userId: 'alice', name: 'Alice Carter', readAt: '2026-11-21T09:59:00Z', locked: false }, olgaRead])];

    expect(seenByColleagues(messages, 'alice').map((s) => s.name)).toEqual(['Olga Admin', 'Frank Foster']);
    expect(seenText(seenByColleagues([patientMessage(4, [frankRead])], 'alice'), now)).toBe('Seen by Frank Foster 2 min ago');
  });

  it('says nothing once the thread has an answer, or when nobody read the waiting message', () => {
    const answered: Message[] = [patientMessage(4, [frankRead]), { ...patientMessage(5), senderKind: 'staff' }];

    expect(seenByColleagues(answered, 'alice')).toEqual([]);
    expect(seenByColleagues([patientMessage(3, [frankRead]), patientMessage(4)], 'alice')).toEqual([]);
  });

  it('still names them when only the clinic\'s automatic reply followed the patient\'s message, which is the one that waits', () => {
    const automatic: Message = { ...patientMessage(5), senderKind: 'staff', senderId: 'clinic:after-hours', senderName: 'Northside', automatic: true };
    const messages = [patientMessage(4, [frankRead]), automatic];

    expect(waitingPatientMessage(messages)?.seq).toBe(4);
    expect(seenByColleagues(messages, 'alice').map((s) => s.name)).toEqual(['Frank Foster']);
  });

  it('has no waiting message once a person at the clinic answered, or in an empty thread', () => {
    const answered: Message[] = [patientMessage(4), { ...patientMessage(5), senderKind: 'staff' }];
    expect(waitingPatientMessage(answered)).toBeNull();
    expect(waitingPatientMessage([])).toBeNull();
  });
});

describe('agoText', () => {
  it('says how long ago in words', () => {
    expect(agoText('2026-11-21T09:59:40Z', now)).toBe('just now');
    expect(agoText('2026-11-21T09:48:00Z', now)).toBe('12 min ago');
    expect(agoText('2026-11-21T07:00:00Z', now)).toBe('3 h ago');
  });
});
