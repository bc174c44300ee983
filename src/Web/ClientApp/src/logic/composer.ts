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
