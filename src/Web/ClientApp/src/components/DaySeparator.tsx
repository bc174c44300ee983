export function DaySeparator({ label }: { label: string }) {
  return (
    <div class="day-label" role="separator">
      {label}
    </div>
  );
}
