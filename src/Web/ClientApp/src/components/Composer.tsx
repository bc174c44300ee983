import { useRef, useState } from 'preact/hooks';
import { composerKeyAction, composerProblem, maxMessageLength } from '../logic/composer';

interface Props {
  blockedReason: string | null;
  /** Sends the text; resolves to an error to show, or null when it was stored. */
  onSend: (text: string) => Promise<string | null>;
}

/** Enter sends, Shift+Enter starts a new line. Text is kept until the server has stored it. */
export function Composer({ blockedReason, onSend }: Props) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);

  const send = async () => {
    const problem = composerProblem(text);
    if (problem || sending || blockedReason) {
      setError(blockedReason ? null : problem);
      return;
    }
    setSending(true);
    const failure = await onSend(text);
    setSending(false);
    setError(failure);
    if (!failure) {
      setText('');
      input.current?.focus();
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (composerKeyAction(event) === 'send') {
      event.preventDefault();
      void send();
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      {blockedReason && (
        <p class="blocked" id="composer-blocked">
          {blockedReason}
        </p>
      )}
      {error && (
        <p role="alert" class="error">
          {error}
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
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" disabled={blockedReason !== null || sending}>
          Send
        </button>
      </div>
    </form>
  );
}
