/** What is wrong with a field, beside it; the field's aria-describedby names `id` while there is a message. */
export function FieldError({ id, message }: { id: string; message: string | null | undefined }) {
  return message ? (
    <span id={id} class="field-error">
      {message}
    </span>
  ) : null;
}
