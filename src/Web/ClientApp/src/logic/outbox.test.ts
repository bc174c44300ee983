import { describe, expect, it } from 'vitest';
import { isDefinitive, Outbox, retryDelayMs, type OutboxItem } from './outbox';
import { MemoryStorage } from './testing/memoryStorage';

const item = (id: string, conversationId = 'c1'): OutboxItem => ({ clientMessageId: id, conversationId, text: `text ${id}`, createdAt: '2026-11-25T10:00:00Z', failure: null });

describe('outbox', () => {
  it('keeps unsent messages across instances (a page reload) until the server confirms them', () => {
    const storage = new MemoryStorage();
    new Outbox(storage, 'k').add(item('m1'));
    new Outbox(storage, 'k').add(item('m2', 'c2'));

    const reloaded = new Outbox(storage, 'k');
    expect(reloaded.forConversation('c1').map((i) => i.clientMessageId)).toEqual(['m1']);
    reloaded.remove('m1');
    expect(new Outbox(storage, 'k').all().map((i) => i.clientMessageId)).toEqual(['m2']);
  });

  it('keeps the attachments and cards of a queued message across a reload, for its retries', () => {
    const storage = new MemoryStorage();
    new Outbox(storage, 'k').add({ ...item('m1'), text: '', attachmentIds: ['att-1'], recordIds: ['appt-1', 'rx-2'] });

    const [queued] = new Outbox(storage, 'k').forConversation('c1');
    expect(queued).toMatchObject({ clientMessageId: 'm1', attachmentIds: ['att-1'], recordIds: ['appt-1', 'rx-2'] });
  });

  it('sends the cards of a message queued by an earlier build, which stored their ids as artifactIds', () => {
    const storage = new MemoryStorage();
    storage.setItem('k', JSON.stringify([{ ...item('m1'), artifactIds: ['appt-1'] }]));

    const [queued] = new Outbox(storage, 'k').forConversation('c1');
    expect(queued!.recordIds).toEqual(['appt-1']);
    expect(queued).not.toHaveProperty('artifactIds');
  });

  it('keeps a queued message sensitive across a reload, so its retries are sent sensitive too', () => {
    const storage = new MemoryStorage();
    new Outbox(storage, 'k').add({ ...item('m1'), sensitive: true });
    new Outbox(storage, 'k').add(item('m2'));

    const reloaded = new Outbox(storage, 'k');
    expect(reloaded.forConversation('c1').map((i) => [i.clientMessageId, i.sensitive ?? false])).toEqual([
      ['m1', true],
      ['m2', false],
    ]);
    reloaded.fail('m1', 'offline');
    reloaded.retry('m1');
    expect(new Outbox(storage, 'k').all()[0]).toMatchObject({ clientMessageId: 'm1', sensitive: true, failure: null });
  });

  it('keeps one entry per client id, so a message is never queued twice', () => {
    const outbox = new Outbox(new MemoryStorage(), 'k');
    outbox.add(item('m1'));
    outbox.add(item('m1'));
    expect(outbox.all()).toHaveLength(1);
  });

  it('marks a definitive failure and clears it on retry', () => {
    const outbox = new Outbox(new MemoryStorage(), 'k');
    outbox.add(item('m1'));
    outbox.fail('m1', 'opted out');
    expect(outbox.all()[0]!.failure).toBe('opted out');
    outbox.retry('m1');
    expect(outbox.all()[0]!.failure).toBeNull();
  });

  it('survives corrupt storage', () => {
    const storage = new MemoryStorage();
    storage.setItem('k', '{not json');
    expect(new Outbox(storage, 'k').all()).toEqual([]);
  });

  it('retries transient failures with growing waits and gives up only on definitive answers', () => {
    expect([0, 1, 2, 10].map(retryDelayMs)).toEqual([1000, 2000, 4000, 30000]);
    expect(isDefinitive(409)).toBe(true);
    expect(isDefinitive(400)).toBe(true);
    expect(isDefinitive(429)).toBe(false);
    // The session ended: the message waits for the user to sign in again, it is not "failed".
    expect(isDefinitive(401)).toBe(false);
    expect(isDefinitive(503)).toBe(false);
    expect(isDefinitive(0)).toBe(false);
  });
});
