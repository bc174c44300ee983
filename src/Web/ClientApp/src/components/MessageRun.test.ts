import { describe, expect, it } from 'vitest';
import { RecordCache } from '../logic/recordCache';
import { buildMessage, staffWithRoles } from '../logic/testing/builders';
import type { StaffItem } from '../types';
import { sameRun, type MessageRunProps } from './MessageRun';

describe('MessageRun', () => {
  const me = { ...staffWithRoles('Clinician'), userId: 's' };
  const messages = [buildMessage({ seq: 20, senderId: 's' }), buildMessage({ seq: 21, senderKind: 'patient', senderId: 'p' }), buildMessage({ seq: 22, senderId: 's' })];
  const props: MessageRunProps = {
    messages,
    lines: [],
    seenBy: null,
    me,
    recipients: { deliveredUpToSeq: 22, readUpToSeq: 22, sensitiveReadUpToSeq: 0 },
    records: new RecordCache(() => Promise.reject(new Error('not used'))),
    onImageLoad: () => undefined,
  };

  it('is skipped while nothing it shows changed, however the rest of the thread moves', () => {
    // A new list of the same message objects (every render builds one), and receipts moving past messages read already.
    expect(sameRun(props, { ...props, messages: [...messages], recipients: { deliveredUpToSeq: 30, readUpToSeq: 29, sensitiveReadUpToSeq: 0 } })).toBe(true);
    expect(sameRun(props, { ...props, lines: [] })).toBe(true);
  });

  it('renders again when a message, a line, the "seen by" or the status of one of its messages changed', () => {
    const changed = [messages[0]!, { ...messages[1]!, withdrawn: true }, messages[2]!];
    expect(sameRun(props, { ...props, messages: changed })).toBe(false);
    expect(sameRun(props, { ...props, messages: [...messages, buildMessage({ seq: 23 })] })).toBe(false);
    const note = { itemSeq: 1, afterSeq: 21, kind: 'note' } as StaffItem;
    expect(sameRun(props, { ...props, lines: [note] })).toBe(false);
    expect(sameRun(props, { ...props, seenBy: { afterSeq: 21, text: 'Seen by Frank just now' } })).toBe(false);
    const seen = { ...props, seenBy: { afterSeq: 21, text: 'Seen by Frank just now' } };
    expect(sameRun(seen, { ...seen, seenBy: { afterSeq: 21, text: 'Seen by Frank 1 min ago' } })).toBe(false);
    // Alice's message 22 turns from Delivered to Read.
    const delivered = { ...props, recipients: { deliveredUpToSeq: 22, readUpToSeq: 20, sensitiveReadUpToSeq: 0 } };
    expect(sameRun(delivered, { ...delivered, recipients: { deliveredUpToSeq: 22, readUpToSeq: 22, sensitiveReadUpToSeq: 0 } })).toBe(false);
    expect(sameRun(props, { ...props, onWithdraw: async () => true })).toBe(false);
  });
});
