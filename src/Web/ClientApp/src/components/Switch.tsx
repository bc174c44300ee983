import { BusyButton } from './BusyButton';

/**
 * An on/off setting (ARIA switch) named by the element whose id is `labelledBy`. While `disabled` (its own change is
 * being saved, or it cannot be used yet) it stays focusable and ignores presses, as every busy button does.
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
    <BusyButton role="switch" class="switch" aria-labelledby={labelledBy} aria-checked={checked} busy={disabled} onClick={onToggle}>
      <span class="knob" aria-hidden="true" />
    </BusyButton>
  );
}
