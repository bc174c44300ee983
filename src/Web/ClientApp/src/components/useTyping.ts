import { useEffect, useState } from 'preact/hooks';
import type { PushBus } from '../logic/pushes';
import { authorOf } from '../logic/threads';
import type { UserKind } from '../types';

const typingShownMs = 4000;

/** Who on the other side is typing in this thread (shown for a few seconds after each signal), or null. */
export function useTyping(bus: PushBus, conversationId: string, otherSide: UserKind): string | null {
  const [typingName, setTypingName] = useState<string | null>(null);
  useEffect(() => {
    setTypingName(null);
    let typingTimer: number | undefined;
    const offTyping = bus.onTyping((update) => {
      if (update.conversationId === conversationId && update.side === otherSide) {
        setTypingName(update.name);
        window.clearTimeout(typingTimer);
        typingTimer = window.setTimeout(() => setTypingName(null), typingShownMs);
      }
    });
    // Their message arrived: they are no longer typing it. The clinic's automatic reply is no one's: whoever types goes on.
    const offMessage = bus.onMessage((message) => {
      if (message.conversationId === conversationId && authorOf(message) === otherSide) {
        setTypingName(null);
      }
    });
    return () => {
      offTyping();
      offMessage();
      window.clearTimeout(typingTimer);
    };
  }, [bus, conversationId, otherSide]);
  return typingName;
}
