import { useEffect, useRef } from 'preact/hooks';

/**
 * A `<dialog>` shown as a modal while the component is on the page. It is closed, not just removed, when the component
 * goes: closing gives the keyboard back to what opened it, and a modal dialog removed while open leaves it on the page
 * (an invitation dialog did, found on a walk).
 */
export function useModalDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    return () => element?.close();
  }, []);
  return dialog;
}
