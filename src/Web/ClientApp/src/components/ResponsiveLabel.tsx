/**
 * A control's name with a shorter word for a phone's narrow screen. The full name stays the accessible one, and contains
 * the short word, so the control answers to what the eye sees as well as what a screen reader says.
 */
export function ResponsiveLabel({ full, short }: { full: string; short: string }) {
  return (
    <>
      <span class="wide-label">{full}</span>
      <span class="narrow-label" aria-hidden="true">
        {short}
      </span>
    </>
  );
}
