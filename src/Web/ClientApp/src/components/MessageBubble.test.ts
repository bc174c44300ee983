import { describe, expect, it } from 'vitest';
import { RecordCache } from '../logic/recordCache';
import { buildMessage, staffWithRoles } from '../logic/testing/builders';
import { sameBubble, type MessageBubbleProps } from './MessageBubble';

describe('MessageBubble', () => {
  const me = { ...staffWithRoles('Clinician'), userId: 's' };
  const props: MessageBubbleProps = {
    message: buildMessage({ seq: 5, senderId: 's' }),
    me,
    recipients: { deliveredUpToSeq: 5, readUpToSeq: 3, sensitiveReadUpToSeq: 0 },
    records: new RecordCache(() => Promise.reject(new Error('not used'))),
    onImageLoad: () => undefined,
  };

  it('renders again only when what it shows changed: its message, its own status or what it acts with', () => {
    // A read further back, or of messages after this one, leaves its status ("Delivered") as it was.
    expect(sameBubble(props, { ...props, recipients: { deliveredUpToSeq: 9, readUpToSeq: 4, sensitiveReadUpToSeq: 0 } })).toBe(true);
    expect(sameBubble(props, { ...props, recipients: { deliveredUpToSeq: 9, readUpToSeq: 5, sensitiveReadUpToSeq: 0 } })).toBe(false);
    expect(sameBubble(props, { ...props, message: { ...props.message, readBy: [{ userId: 'p', name: 'Pat', readAt: '2026-12-06T05:00:00Z', locked: false }] } })).toBe(false);
    expect(sameBubble(props, { ...props, onWithdraw: async () => true })).toBe(false);
    // The patient's messages carry no status: the clinic's receipts moving does not touch them.
    const theirs = { ...props, message: buildMessage({ seq: 5, senderKind: 'patient', senderId: 'p' }) };
    expect(sameBubble(theirs, { ...theirs, recipients: { deliveredUpToSeq: 9, readUpToSeq: 9, sensitiveReadUpToSeq: 9 } })).toBe(true);
  });
});
