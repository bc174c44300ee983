import { useEffect, useRef } from 'preact/hooks';

/**
 * Gives the element the keyboard focus once it is on the page. The `autofocus` attribute is not enough for a field that
 * appears after the page has loaded (the sign-in's second step): the browser honours it only while nothing has the
 * focus, and the busy button that led there keeps the focus until it is gone.
 */
export function useFocusOnMount<T extends HTMLElement>(enabled = true) {
  const element = useRef<T>(null);
  useEffect(() => {
    if (enabled) {
      element.current?.focus();
    }
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- once, when it appears
  return element;
}
