import { useCallback, useEffect, useReducer, useRef } from 'preact/hooks';

/**
 * Moves the keyboard focus to what a change puts on the page: the control that replaced the one pressed ("Clear
 * patient" for a chosen patient), the field a refusal names, the first action of a panel that is still loading. The
 * control the user pressed often goes with its change, and the browser then drops the focus to the page.
 *
 * `focusAfterRender(find)`: after each render of the component, `find` is asked for the element, and the request ends
 * once the element has the focus. Until then it waits: an element behind a modal dialog that is still closing cannot
 * take the focus (an effect queued before the dialog closed would otherwise spend the request). A later request
 * replaces an earlier one.
 */
export function useFocusAfterRender(): (find: () => HTMLElement | null | undefined) => void {
  const pending = useRef<(() => HTMLElement | null | undefined) | null>(null);
  const [, render] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const target = pending.current?.();
    target?.focus();
    if (target && document.activeElement === target) {
      pending.current = null;
    }
  });
  return useCallback((find: () => HTMLElement | null | undefined) => {
    pending.current = find;
    render(0);
  }, []);
}

/** Whether the keyboard focus is nowhere useful: on the page's body, or on an element no longer shown (gone with a view). */
export function focusIsLost(): boolean {
  const active = document.activeElement;
  return !(active instanceof HTMLElement) || active === document.body || !active.checkVisibility();
}

/**
 * The first element matching one of `selectors`, in that order, made a place the focus can be put (tabindex -1: a
 * heading takes the focus only with one, and -1 keeps it out of the Tab order, which goes on from it).
 */
export function headingToFocus(...selectors: string[]): HTMLElement | null {
  const heading = selectors.map((selector) => document.querySelector<HTMLElement>(selector)).find((found) => found) ?? null;
  heading?.setAttribute('tabindex', '-1');
  return heading;
}
