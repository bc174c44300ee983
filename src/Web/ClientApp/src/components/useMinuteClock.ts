import { useEffect, useState } from 'preact/hooks';

/**
 * "Now", moved on once a minute while active: one timer for a whole list, so that every row's "Waiting 25 min" moves
 * together. Read again when the page comes back into view, since a sleeping laptop or a background tab skips ticks.
 */
export function useMinuteClock(active: boolean): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!active) {
      return;
    }
    const tick = () => setNow(new Date());
    tick();
    const timer = window.setInterval(tick, 60_000);
    const onVisible = () => document.visibilityState === 'visible' && tick();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [active]);
  return now;
}
