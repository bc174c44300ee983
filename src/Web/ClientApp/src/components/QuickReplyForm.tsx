import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { placeholderHelp, type Refusal } from '../logic/quickReplies';
import { ErrorAlert } from './ErrorAlert';
import { FieldError } from './FieldError';
import { BusyButton } from './BusyButton';

interface Props {
  /** The form's accessible name: "New clinic reply", "Edit my reply /greet". */
  name: string;
  initial: { shortcut: string; text: string };
  submitLabel: string;
  /** Saves; resolves the server's refusal to show here, or null once saved (the page closes the form). */
  onSave: (shortcut: string, text: string) => Promise<Refusal | null>;
  onCancel: () => void;
}

/**
 * Adding or editing one quick reply, in place: a shortcut and its text. The server checks both (and whether the
 * shortcut is taken); its refusal shows beside the field it is about, in its own words.
 */
export function QuickReplyForm({ name, initial, submitLabel, onSave, onCancel }: Props) {
  const id = `quick-reply-${useId()}`;
  const [shortcut, setShortcut] = useState(initial.shortcut);
  const [text, setText] = useState(initial.text);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [saving, setSaving] = useState(false);
  const shortcutInput = useRef<HTMLInputElement>(null);
  const textInput = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    shortcutInput.current?.focus();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setSaving(true);
    setRefusal(null);
    const refused = await onSave(shortcut, text);
    setSaving(false);
    setRefusal(refused);
    if (refused?.field === 'shortcut') {
      shortcutInput.current?.focus();
    } else if (refused?.field === 'text') {
      textInput.current?.focus();
    }
  };

  const errorOf = (field: 'shortcut' | 'text') => (refusal?.field === field ? refusal.message : null);
  const describedBy = (field: 'shortcut' | 'text') => [`${id}-${field}-help`, errorOf(field) ? `${id}-${field}-error` : ''].filter(Boolean).join(' ');
  const fieldError = (field: 'shortcut' | 'text') => <FieldError id={`${id}-${field}-error`} message={errorOf(field)} />;

  return (
    <form class="reply-form" aria-label={name} onSubmit={(e) => void submit(e)} noValidate>
      {/* Labels hold their names only: an error beside a field is its description, not part of its name. */}
      <div class="field">
        <label for={`${id}-shortcut`}>Shortcut</label>
        <span class="shortcut-input">
          <span aria-hidden="true">/</span>
          <input
            id={`${id}-shortcut`}
            ref={shortcutInput}
            type="text"
            autocomplete="off"
            spellcheck={false}
            autoCapitalize="none"
            value={shortcut}
            aria-invalid={errorOf('shortcut') !== null}
            aria-describedby={describedBy('shortcut')}
            onInput={(e) => setShortcut(e.currentTarget.value)}
          />
        </span>
        {fieldError('shortcut')}
        <span id={`${id}-shortcut-help`} class="setting-help">
          Letters, digits and dashes; type “/” and the shortcut in a message to insert the reply.
        </span>
      </div>
      <div class="field">
        <label for={`${id}-text`}>Text</label>
        <textarea
          id={`${id}-text`}
          ref={textInput}
          rows={4}
          value={text}
          aria-invalid={errorOf('text') !== null}
          aria-describedby={describedBy('text')}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        {fieldError('text')}
        <span id={`${id}-text-help`} class="setting-help">
          {placeholderHelp}
        </span>
      </div>
      <ErrorAlert message={refusal && refusal.field !== 'shortcut' && refusal.field !== 'text' ? refusal.message : null} />
      <div class="staff-actions">
        <BusyButton type="submit" busy={saving}>
          {submitLabel}
        </BusyButton>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
