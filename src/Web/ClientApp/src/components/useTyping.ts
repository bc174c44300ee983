import { useEffect, useState } from 'preact/hooks';
import type { PushBus } from '../logic/pushes';
import { authorOf } from '../logic/threads';
import type { Me, TypingUpdate } from '../types';

const typingShownMs = 4000;

/**
 * Whether an update is someone else's typing worth showing: the other side's, and for staff a colleague's too (two
 * people answering the same patient at once is what a team wants to see coming; found on a walk). Staff connections hear
 * their own typing as well, by id, and leave it out.
 */
export function othersTyping(update: TypingUpdate, me: Pick<Me, 'kind' | 'userId'>): boolean {
  const mySide = me.kind === 'staff' ? 'staff' : 'patient';
  return update.side !== mySide || (mySide === 'staff' && update.userId != null && update.userId !== me.userId);
}

/** Who else is typing in this thread (shown for a few seconds after each signal), or null. */
export function useTyping(bus: PushBus, conversationId: string, me: Me): string | null {
  const { kind, userId } = me;
  const [typing, setTyping] = useState<{ name: string; userId: string | null; side: string } | null>(null);
  useEffect(() => {
    setTyping(null);
    let typingTimer: number | undefined;
    const offTyping = bus.onTyping((update) => {
      if (update.conversationId === conversationId && othersTyping(update, { kind, userId })) {
        setTyping({ name: update.name, userId: update.userId ?? null, side: update.side });
        window.clearTimeout(typingTimer);
        typingTimer = window.setTimeout(() => setTyping(null), typingShownMs);
      }
    });
    // Their message arrived: they are no longer typing it. The clinic's automatic reply is no one's: whoever types goes on.
    const offMessage = bus.onMessage((message) => {
      if (message.conversationId !== conversationId) {
        return;
      }
      setTyping((current) =>
        current && authorOf(message) === current.side && (current.userId === null || current.userId === message.senderId) ? null : current,
      );
    });
    return () => {
      offTyping();
      offMessage();
      window.clearTimeout(typingTimer);
    };
  }, [bus, conversationId, kind, userId]);
  return typing?.name ?? null;
}
