import { describe, expect, it } from 'vitest';
import { othersTyping } from './useTyping';

describe('whose typing shows', () => {
  const frank = { kind: 'staff' as const, userId: 'frank' };
  const pat = { kind: 'patient' as const, userId: 'pat' };

  it('is the other side, for everyone', () => {
    expect(othersTyping({ conversationId: 'c', side: 'patient', name: 'Pat', userId: 'pat' }, frank)).toBe(true);
    expect(othersTyping({ conversationId: 'c', side: 'staff', name: 'Frank' }, pat)).toBe(true);
  });

  it('is a colleague for staff, but never oneself', () => {
    expect(othersTyping({ conversationId: 'c', side: 'staff', name: 'Alice', userId: 'alice' }, frank)).toBe(true);
    expect(othersTyping({ conversationId: 'c', side: 'staff', name: 'Frank', userId: 'frank' }, frank)).toBe(false);
    // From a silo older than the typist's id: whose it is is unknown, so it is left out.
    expect(othersTyping({ conversationId: 'c', side: 'staff', name: 'Frank' }, frank)).toBe(false);
  });
});
