import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxItem } from './outbox';
import { OutboxSender, type ExclusiveRunner, type OutboxSenderDeps } from './outboxSender';
import { MemoryStorage } from './testing/memoryStorage';

const item = (id: string): OutboxItem => ({ clientMessageId: id, conversationId: 'c1', text: id, createdAt: '2026-11-25T10:00:00Z', failure: null });

/** One lock shared by every "tab" of the test, like navigator.locks: tasks under one name run one after another. */
function sharedLocks(): ExclusiveRunner {
  const tails = new Map<string, Promise<void>>();
  return (name, task) => {
    const run = (tails.get(name) ?? Promise.resolve()).then(task);
    tails.set(name, run.catch(() => undefined));
    return run;
  };
}

/** A server that stores what it is sent in arrival order, once per client id; offline until told otherwise. */
class FakeServer {
  stored: string[] = [];
  online = false;
  calls: string[] = [];
  send = async (sent: OutboxItem) => {
    this.calls.push(sent.clientMessageId);
    await Promise.resolve();
    if (!this.online) {
      throw new TypeError('Failed to fetch');
    }
    if (!this.stored.includes(sent.clientMessageId)) {
      this.stored.push(sent.clientMessageId);
    }
    return sent;
  };
}

function senderFor(outbox: Outbox, server: FakeServer, exclusive: ExclusiveRunner, changed: () => void = () => undefined, send?: OutboxSenderDeps<OutboxItem>['send']) {
  return new OutboxSender({
    outbox,
    conversationId: 'c1',
    send: send ?? server.send,
    lockName: 'outbox/u1/c1',
    exclusive,
    changed,
    failureText: () => 'refused',
    // Long enough that only a wake-up (the network coming back) can end a wait within the test.
    delayMs: () => 60_000,
  });
}

/** Resolves once the outbox holds nothing pending for the thread. */
async function drained(outbox: Outbox) {
  await expect.poll(() => outbox.forConversation('c1').filter((i) => i.failure === null).length).toBe(0);
}

describe('outbox sender', () => {
  it('stores messages queued while offline in the order they were typed once the network is back', async () => {
    const storage = new MemoryStorage();
    const outbox = new Outbox(storage, 'k');
    const server = new FakeServer();
    const sender = senderFor(outbox, server, sharedLocks());

    for (const id of ['A', 'B', 'C']) {
      const tried = server.calls.length;
      outbox.add(item(id));
      sender.kick();
      // Each kick wakes the back-off: the head is tried again (and fails, offline).
      await expect.poll(() => server.calls.length).toBeGreaterThan(tried);
    }
    server.online = true;
    sender.kick();
    await drained(outbox);

    expect(server.stored).toEqual(['A', 'B', 'C']);
    // While A could not go, B and C were never tried: nothing overtakes the head.
    expect(server.calls.filter((id) => id !== 'A').join('')).toBe('BC');
    sender.dispose();
  });

  it('drains what a reload left in storage in order, and two tabs of one user never send one thread at the same time', async () => {
    const storage = new MemoryStorage();
    new Outbox(storage, 'k').add(item('1'));
    new Outbox(storage, 'k').add(item('2'));
    new Outbox(storage, 'k').add(item('3'));
    const server = new FakeServer();
    server.online = true;
    let inFlight = 0;
    let overlapped = false;
    const send = async (sent: OutboxItem) => {
      inFlight += 1;
      overlapped ||= inFlight > 1;
      try {
        return await server.send(sent);
      } finally {
        inFlight -= 1;
      }
    };
    const locks = sharedLocks();
    const tabOne = senderFor(new Outbox(storage, 'k'), server, locks, undefined, send);
    const tabTwo = senderFor(new Outbox(storage, 'k'), server, locks, undefined, send);

    tabOne.kick();
    tabTwo.kick();
    await drained(new Outbox(storage, 'k'));

    expect(server.stored).toEqual(['1', '2', '3']);
    expect(server.calls).toEqual(['1', '2', '3']);
    expect(overlapped).toBe(false);
  });

  it('marks a message the server refuses for good as failed and sends the ones behind it', async () => {
    const storage = new MemoryStorage();
    const outbox = new Outbox(storage, 'k');
    outbox.add(item('refused'));
    outbox.add(item('fine'));
    const server = new FakeServer();
    server.online = true;
    const send = (sent: OutboxItem) => (sent.clientMessageId === 'refused' ? Promise.reject(Object.assign(new Error('no'), { status: 422 })) : server.send(sent));
    const sender = senderFor(outbox, server, sharedLocks(), undefined, send);

    sender.kick();
    await drained(outbox);

    expect(server.stored).toEqual(['fine']);
    expect(outbox.forConversation('c1')).toMatchObject([{ clientMessageId: 'refused', failure: 'refused' }]);
  });

  it('keeps a message refused because the session ended queued, and sends it after the user signs in again', async () => {
    const storage = new MemoryStorage();
    const outbox = new Outbox(storage, 'k');
    outbox.add(item('while signed out'));
    const server = new FakeServer();
    server.online = true;
    let signedIn = false;
    let refused = 0;
    const send = (sent: OutboxItem) => {
      if (signedIn) {
        return server.send(sent);
      }
      refused += 1;
      return Promise.reject(Object.assign(new Error('Sign in first.'), { status: 401 }));
    };
    const before = senderFor(outbox, server, sharedLocks(), undefined, send);

    before.kick();
    await expect.poll(() => refused).toBe(1);
    expect(outbox.forConversation('c1')).toMatchObject([{ clientMessageId: 'while signed out', failure: null }]);
    // The app went back to sign-in: the thread's sender stops; the user signs in and opens the thread again.
    before.dispose();
    signedIn = true;
    senderFor(outbox, server, sharedLocks(), undefined, send).kick();
    await drained(outbox);

    expect(server.stored).toEqual(['while signed out']);
    expect(outbox.forConversation('c1')).toEqual([]);
  });
});
