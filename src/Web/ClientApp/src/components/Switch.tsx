/** An on/off setting (ARIA switch) named by the element whose id is `labelledBy`. */
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
    <button type="button" role="switch" class="switch" aria-labelledby={labelledBy} aria-checked={checked} disabled={disabled} onClick={onToggle}>
      <span class="knob" aria-hidden="true" />
    </button>
  );
}
