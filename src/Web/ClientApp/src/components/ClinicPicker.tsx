/** One of the user's clinics, as a picker lists it. */
export interface ClinicChoice {
  clinicId: string;
  clinicName: string;
}

/**
 * Which of the user's clinics a page or form is about; nothing at all with one clinic, since there is nothing to choose.
 * layout: 'stacked' (.clinic-picker) puts the label above the select; 'inline' keeps them on one line, so a space parts
 * them; left out, the page's own styles lay the label out.
 */
export function ClinicPicker({
  clinics,
  value,
  onChange,
  layout,
}: {
  clinics: readonly ClinicChoice[];
  value: string | undefined;
  onChange: (clinicId: string) => void;
  layout?: 'stacked' | 'inline';
}) {
  if (clinics.length <= 1) {
    return null;
  }
  return (
    <label class={layout === 'stacked' ? 'clinic-picker' : undefined}>
      Clinic{layout === 'inline' && ' '}
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {clinics.map((c) => (
          <option key={c.clinicId} value={c.clinicId}>
            {c.clinicName}
          </option>
        ))}
      </select>
    </label>
  );
}
