/**
 * An on/off setting (ARIA switch) named by the element whose id is `labelledBy`. Disabled with aria-disabled, not the
 * attribute: a switch is disabled while its own change is saved, and a disabled button loses the keyboard focus to the
 * page, so a keyboard user toggling it would have to find their way back from the top.
 */
export function Switch({
  labelledBy,
  checked,
  disabled,
  onToggle,
}: {
  labelledBy: string;
  checked: boolean;
  disabled: boolean;
  onToggle: () => void;
}) {
  return (
    <button type="button" role="switch" class="switch" aria-labelledby={labelledBy} aria-checked={checked} aria-disabled={disabled} onClick={disabled ? undefined : onToggle}>
      <span class="knob" aria-hidden="true" />
    </button>
  );
}
