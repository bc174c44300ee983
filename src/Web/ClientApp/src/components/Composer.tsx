import { useRef, useState } from 'preact/hooks';
import { composerKeyAction, composerProblem, maxMessageLength } from '../logic/composer';

interface Props {
  blockedReason: string | null;
  /** Queues the text for sending (the outbox owns it from here). */
  onSend: (text: string) => void;
  /** Called while the user types; throttled here to one call every few seconds. */
  onTyping: () => void;
}

const typingEveryMs = 2500;

/** Enter sends, Shift+Enter starts a new line. */
export function Composer({ blockedReason, onSend, onTyping }: Props) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const lastTyping = useRef(0);

  const send = () => {
    const reason = composerProblem(text);
    if (reason || blockedReason) {
      setProblem(blockedReason ? null : reason);
      return;
    }
    onSend(text);
    setProblem(null);
    setText('');
    lastTyping.current = 0;
    input.current?.focus();
  };

  const onInput = (value: string) => {
    setText(value);
    const now = Date.now();
    if (value.length > 0 && now - lastTyping.current > typingEveryMs) {
      lastTyping.current = now;
      onTyping();
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (composerKeyAction(event) === 'send') {
      event.preventDefault();
      send();
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      {blockedReason && (
        <p class="blocked" id="composer-blocked">
          {blockedReason}
        </p>
      )}
      {problem && (
        <p role="alert" class="error">
          {problem}
        </p>
      )}
      <div class="composer-row">
        <textarea
          ref={input}
          aria-label="Message"
          aria-describedby={blockedReason ? 'composer-blocked' : undefined}
          placeholder={blockedReason ? '' : 'Write a message…'}
          title="Enter sends, Shift+Enter starts a new line"
          rows={2}
          maxLength={maxMessageLength}
          value={text}
          disabled={blockedReason !== null}
          onInput={(e) => onInput(e.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" disabled={blockedReason !== null}>
          Send
        </button>
      </div>
    </form>
  );
}
