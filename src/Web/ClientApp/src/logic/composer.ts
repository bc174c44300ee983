export type ComposerAction = 'send' | 'newline' | null;

/** Enter sends; Shift+Enter inserts a new line; Enter while an IME is composing belongs to the IME. */
export function composerKeyAction(event: { key: string; shiftKey: boolean; isComposing?: boolean }): ComposerAction {
  if (event.key !== 'Enter' || event.isComposing) {
    return null;
  }
  return event.shiftKey ? 'newline' : 'send';
}

export const maxMessageLength = 4000;

/** Why the text cannot be sent, or null when it can. */
export function composerProblem(text: string): string | null {
  if (text.trim().length === 0) {
    return 'Type a message first.';
  }
  if (text.length > maxMessageLength) {
    return `Messages are limited to ${maxMessageLength} characters.`;
  }
  return null;
}

/**
 * The composer's hint. Staff of several clinics are told which clinic they write as, so that nobody
 * answers a patient on behalf of the wrong one; a blocked composer says nothing (the reason shows beside it).
 */
export function composerPlaceholder(options: { blocked: boolean; sensitive: boolean; shortcuts: boolean; speakingAs: { patientName: string; clinicName: string } | null }): string {
  if (options.blocked) {
    return '';
  }
  const shortcuts = options.shortcuts && !options.sensitive ? ' (/ for shortcuts)' : '';
  if (options.speakingAs) {
    const { patientName, clinicName } = options.speakingAs;
    return `${options.sensitive ? 'Sensitive message to' : 'Message'} ${patientName} as ${clinicName}${shortcuts}`;
  }
  return options.sensitive ? 'Write a sensitive message…' : `Write a message…${shortcuts}`;
}
