import { describe, expect, it } from 'vitest';
import type { Message, MessagePage, Receipts } from '../types';
import { ThreadHistory, type PageQuery } from './history';
import { noReceipts } from './receipts';
import { buildMessage } from './testing/builders';

const message = (seq: number, overrides: Partial<Message> = {}): Message =>
  buildMessage({ conversationId: 'c1', seq, clientMessageId: `id-${seq}`, senderId: 'staff-1', text: `m${seq}`, ...overrides });

/** A conversation held by a fake server that answers pages the way the API does (by seq, oldest first). */
class FakeServer {
  messages: Message[] = [];
  staffReceipts: Receipts = noReceipts;
  patientReceipts: Receipts = noReceipts;
  readonly asked: PageQuery[] = [];
  /** When set, pages wait for this before answering (to land a push while a page is on its way). */
  hold: Promise<void> | null = null;

  constructor(count: number, overrides: (seq: number) => Partial<Message> = () => ({})) {
    for (let seq = 1; seq <= count; seq++) {
      this.messages.push(message(seq, overrides(seq)));
    }
  }

  readonly fetchPage = async (query: PageQuery): Promise<MessagePage> => {
    this.asked.push(query);
    await this.hold;
    let chosen: Message[];
    let hasMore: boolean;
    if (query.beforeSeq !== undefined) {
      const before = this.messages.filter((m) => m.seq < query.beforeSeq!);
      chosen = before.slice(-query.limit);
      hasMore = before.length > chosen.length;
    } else if (query.afterSeq !== undefined) {
      const after = this.messages.filter((m) => m.seq > query.afterSeq!);
      chosen = after.slice(0, query.limit);
      hasMore = after.length > chosen.length;
    } else {
      chosen = this.messages.slice(-query.limit);
      hasMore = this.messages.length > chosen.length;
    }
    const lastSeq = this.messages[this.messages.length - 1]?.seq ?? 0;
    return { messages: chosen, lastSeq, hasMore, staffReceipts: this.staffReceipts, patientReceipts: this.patientReceipts };
  };
}

const now = new Date('2026-11-21T10:00:00Z');
const windowOpenUntil = '2026-11-21T10:05:00Z';

function historyOf(server: FakeServer, options: { viewer?: 'staff' | 'patient'; hidden?: boolean; until?: () => string | null } = {}) {
  const reads: number[] = [];
  let changes = 0;
  const history = new ThreadHistory({
    conversationId: 'c1',
    viewer: options.viewer ?? 'staff',
    fetchPage: server.fetchPage,
    acknowledgeRead: (seq) => reads.push(seq),
    outOfSight: () => options.hidden ?? false,
    sensitiveUntil: options.until ?? (() => null),
    changed: () => changes++,
    now: () => now,
  });
  return { history, reads, changes: () => changes };
}

const seqs = (messages: readonly Message[]) => messages.map((m) => m.seq);

describe('ThreadHistory', () => {
  it('opens on the newest page, says older ones exist and acknowledges reading up to the newest', async () => {
    const server = new FakeServer(120);
    const { history, reads, changes } = historyOf(server);

    await history.catchUp();

    expect(seqs(history.messages)).toEqual(Array.from({ length: 50 }, (_, i) => 71 + i));
    expect(history.hasOlder).toBe(true);
    expect(reads).toEqual([120]);
    expect(changes()).toBeGreaterThan(0);
  });

  it('loads the page before the first message held, and nothing once the start is reached', async () => {
    const server = new FakeServer(60);
    const { history } = historyOf(server);
    await history.catchUp();
    let beforeMerge = 0;

    expect(await history.loadOlder(() => beforeMerge++)).toBe(true);
    expect(seqs(history.messages)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(history.hasOlder).toBe(false);
    expect(beforeMerge).toBe(1);
    expect(await history.loadOlder()).toBe(false);
  });

  it('merges a push that follows the newest message and acknowledges it', async () => {
    const server = new FakeServer(3);
    const { history, reads } = historyOf(server);
    await history.catchUp();

    history.pushed(message(4, { senderKind: 'patient' }));

    expect(seqs(history.messages)).toEqual([1, 2, 3, 4]);
    expect(reads).toEqual([3, 4]);
  });

  it('ignores pushes for other conversations', async () => {
    const server = new FakeServer(3);
    const { history } = historyOf(server);
    await history.catchUp();

    history.pushed(message(4, { conversationId: 'c2' }));

    expect(seqs(history.messages)).toEqual([1, 2, 3]);
  });

  it('fetches what is missing when a push reveals a gap, instead of showing the push alone', async () => {
    const server = new FakeServer(3);
    const { history } = historyOf(server);
    await history.catchUp();
    server.messages.push(message(4), message(5), message(6));

    history.pushed(message(6));
    await history.catchUp();

    expect(seqs(history.messages)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(server.asked.at(-2)).toEqual({ afterSeq: 3, limit: 200 });
  });

  it('keeps a push that lands while the opening page is on its way', async () => {
    const server = new FakeServer(3);
    const { history } = historyOf(server);
    let release!: () => void;
    server.hold = new Promise((resolve) => (release = resolve));
    const opening = history.catchUp();
    server.messages.push(message(4));

    history.pushed(message(1));
    release();
    await opening;
    history.pushed(message(4));

    expect(seqs(history.messages)).toEqual([1, 2, 3, 4]);
  });

  it('runs one sync at a time: a resync asked during one runs once more after it, from the newest message', async () => {
    const server = new FakeServer(2);
    const { history } = historyOf(server);
    let release!: () => void;
    server.hold = new Promise((resolve) => (release = resolve));
    const first = history.catchUp();
    const second = history.catchUp();
    server.messages.push(message(3));
    release();
    await Promise.all([first, second]);

    expect(second).toBe(first);
    expect(server.asked).toEqual([{ limit: 50 }, { afterSeq: 3, limit: 200 }]);
    expect(seqs(history.messages)).toEqual([1, 2, 3]);
  });

  it('keeps the furthest receipts of the other side only', async () => {
    const server = new FakeServer(5);
    server.patientReceipts = { deliveredUpToSeq: 4, readUpToSeq: 2, sensitiveReadUpToSeq: 0 };
    server.staffReceipts = { deliveredUpToSeq: 5, readUpToSeq: 5, sensitiveReadUpToSeq: 0 };
    const { history } = historyOf(server);
    await history.catchUp();

    history.receiptsPushed({ conversationId: 'c1', side: 'patient', readerName: 'Pat', deliveredUpToSeq: 3, readUpToSeq: 3, sensitiveReadUpToSeq: 0 });
    history.receiptsPushed({ conversationId: 'c1', side: 'staff', readerName: 'Alice', deliveredUpToSeq: 9, readUpToSeq: 9, sensitiveReadUpToSeq: 0 });
    history.receiptsPushed({ conversationId: 'c2', side: 'patient', readerName: 'Pat', deliveredUpToSeq: 9, readUpToSeq: 9, sensitiveReadUpToSeq: 0 });

    expect(history.recipients).toEqual({ deliveredUpToSeq: 4, readUpToSeq: 3, sensitiveReadUpToSeq: 0 });
  });

  it('shows staff who read, live: the patient on the clinic\'s messages, a colleague on the patient\'s, also when the read comes before its messages', async () => {
    const server = new FakeServer(3, (seq) => (seq === 3 ? { senderKind: 'patient', senderId: 'pat' } : {}));
    const { history, changes } = historyOf(server);
    const readAt = '2026-11-21T10:01:00Z';
    const move = { readFromSeq: 0, readUpToSeq: 2, sensitiveReadFromSeq: 0, sensitiveReadUpToSeq: 0, at: readAt };
    const patRead = {
      conversationId: 'c1', side: 'patient' as const, readerName: 'Pat', readerId: 'pat', deliveredUpToSeq: 2, readUpToSeq: 2, sensitiveReadUpToSeq: 0, readerMove: move,
    };
    const frankRead = { ...patRead, side: 'staff' as const, readerName: 'Frank', readerId: 'frank', readUpToSeq: 3, readerMove: { ...move, readUpToSeq: 3 } };
    let release!: () => void;
    server.hold = new Promise((resolve) => (release = resolve));

    // Pat's read comes while the opening page (read before it: it lists nobody) is on its way.
    const opening = history.catchUp();
    history.receiptsPushed(patRead);
    release();
    await opening;
    const before = changes();
    history.receiptsPushed(frankRead);
    expect(changes()).toBe(before + 1);
    // A page read before Frank's read lands after it.
    await history.refetch(0);

    expect(history.messages.map((m) => (m.readBy ?? []).map((r) => `${r.name} ${r.readAt}`))).toEqual([[`Pat ${readAt}`], [`Pat ${readAt}`], [`Frank ${readAt}`]]);
    expect(history.recipients.readUpToSeq).toBe(2);
  });

  it('shows staff the reads made while the push connection was down once it is back, from the newest page held; patients only catch up', async () => {
    const server = new FakeServer(120);
    const { history } = historyOf(server);
    await history.catchUp();
    await history.loadOlder();
    expect(seqs(history.messages)[0]).toBe(21);
    // While Alice was disconnected Pat read everything, and a new message came.
    const read = { userId: 'pat', name: 'Pat', readAt: '2026-11-21T10:01:00Z', locked: false };
    server.messages = [...server.messages.map((m) => ({ ...m, readBy: [read] })), message(121)];
    server.patientReceipts = { deliveredUpToSeq: 120, readUpToSeq: 120, sensitiveReadUpToSeq: 0 };
    server.asked.length = 0;

    await history.resynced();

    // The newest page held (71–120) is read again, with the new message; older pages held show theirs when loaded again.
    expect(server.asked[0]).toEqual({ afterSeq: 70, limit: 200 });
    expect(seqs(history.messages)).toEqual(Array.from({ length: 101 }, (_, i) => 21 + i));
    expect(history.messages.filter((m) => m.readBy?.length).map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 71 + i));
    expect(history.recipients.readUpToSeq).toBe(120);

    const patientServer = new FakeServer(120);
    const patient = historyOf(patientServer, { viewer: 'patient' });
    await patient.history.catchUp();
    patientServer.asked.length = 0;
    await patient.history.resynced();
    expect(patientServer.asked).toEqual([{ afterSeq: 120, limit: 200 }]);
  });

  it('acknowledges nothing while the page is hidden, and each seq once when it shows', async () => {
    const server = new FakeServer(3);
    let hidden = true;
    const reads: number[] = [];
    const history = new ThreadHistory({
      conversationId: 'c1',
      viewer: 'staff',
      fetchPage: server.fetchPage,
      acknowledgeRead: (seq) => reads.push(seq),
      outOfSight: () => hidden,
      sensitiveUntil: () => null,
      changed: () => undefined,
    });
    await history.catchUp();
    expect(reads).toEqual([]);

    hidden = false;
    expect(history.markRead()).toBe(true);
    expect(history.markRead()).toBe(false);
    expect(reads).toEqual([3]);
  });

  it('adds a stored send to the history as the server answered it', async () => {
    const server = new FakeServer(2);
    const { history } = historyOf(server);
    await history.catchUp();

    history.stored(message(3, { text: 'sent' }));
    history.stored(message(9, { conversationId: 'c2' }));

    expect(history.messages.map((m) => m.text)).toEqual(['m1', 'm2', 'sent']);
  });

  it('fetches the sensitive messages held again when the window opens, so placeholders turn into content', async () => {
    const server = new FakeServer(4, (seq) => (seq >= 3 ? { sensitive: true, locked: true, text: '' } : {}));
    let until: string | null = null;
    const { history, reads } = historyOf(server, { viewer: 'patient', until: () => until });
    await history.catchUp();
    expect(history.sensitiveWindowChanged()).toBeNull();

    until = windowOpenUntil;
    server.messages = server.messages.map((m) => (m.sensitive ? { ...m, locked: false, text: `secret ${m.seq}` } : m));
    await history.sensitiveWindowChanged();

    expect(history.messages.map((m) => m.text)).toEqual(['m1', 'm2', 'secret 3', 'secret 4']);
    expect(server.asked[1]).toEqual({ afterSeq: 2, limit: 200 });
    // Read once locked, then again unlocked: the clinic learns the sensitive messages were seen.
    expect(reads).toEqual([4, 4]);
    expect(history.sensitiveWindowChanged()).toBeNull();
  });

  it('does not count messages read unlocked while one still shows locked inside the window', async () => {
    const server = new FakeServer(2, (seq) => (seq === 2 ? { sensitive: true, locked: true, text: '' } : {}));
    const { history, reads } = historyOf(server, { viewer: 'patient', until: () => windowOpenUntil });
    let release!: () => void;
    server.hold = new Promise((resolve) => (release = resolve));
    const opening = history.catchUp();
    release();
    await opening;

    expect(history.messages[1]!.locked).toBe(true);
    expect(reads).toEqual([]);
  });

  it('re-fetches a locked push that arrives inside the window, and shows its content', async () => {
    const server = new FakeServer(2);
    const { history } = historyOf(server, { viewer: 'patient', until: () => windowOpenUntil });
    await history.catchUp();
    server.messages.push(message(3, { sensitive: true, text: 'secret 3' }));

    history.pushed(message(3, { sensitive: true, locked: true, text: '' }));
    await history.catchUp();

    expect(history.messages.at(-1)).toMatchObject({ seq: 3, locked: false, text: 'secret 3' });
  });

  it('drops answers that arrive after the thread was closed', async () => {
    const server = new FakeServer(3);
    const { history, reads, changes } = historyOf(server);
    let release!: () => void;
    server.hold = new Promise((resolve) => (release = resolve));
    const opening = history.catchUp();
    history.dispose();
    release();
    await opening;

    expect(history.messages).toEqual([]);
    expect(reads).toEqual([]);
    expect(changes()).toBe(0);
  });
});

describe('staff items', () => {
  const item = (itemSeq: number, afterSeq: number, conversationId = 'c1') => ({
    conversationId,
    itemSeq,
    afterSeq,
    kind: 'change' as const,
    actorId: 'alice',
    actorName: 'Alice',
    at: '2026-11-21T09:31:00Z',
    change: { kind: 'status' as const, status: 'closed' as const, assignee: null },
    text: null,
    mentions: [],
  });

  it('come with the pages and the pushes, once each, and only for this thread', async () => {
    const server = new FakeServer(3);
    const page = server.fetchPage;
    const withItems = Object.assign(Object.create(server) as FakeServer, {
      fetchPage: async (query: PageQuery): Promise<MessagePage> => ({ ...(await page(query)), staffItems: [item(1, 2)] }),
    });
    const { history } = historyOf(withItems);

    await history.catchUp();
    history.staffItemPushed(item(2, 3));
    history.staffItemPushed(item(1, 2));
    history.staffItemPushed(item(9, 3, 'other'));

    expect(history.staffItems.map((i) => i.itemSeq)).toEqual([1, 2]);
  });
});
