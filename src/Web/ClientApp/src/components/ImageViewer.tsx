import { createPortal } from 'preact/compat';
import type { MessageAttachment } from '../types';
import { useModalDialog } from './useModalDialog';

interface Props {
  attachment: MessageAttachment;
  from: string;
  onClose: () => void;
}

/**
 * A photo at full size, in the page: the download endpoint always answers "attachment", so a new tab
 * would save the file instead of showing it. A modal dialog traps focus and closes on Escape; it is
 * rendered into the body so that opening it is not announced as a new entry of the message log.
 */
export function ImageViewer({ attachment, from, onClose }: Props) {
  const dialog = useModalDialog();


  const name = attachment.name || 'Photo';
  return createPortal(
    <dialog ref={dialog} class="dialog image-viewer" aria-labelledby="image-viewer-title" onCancel={onClose} onClose={onClose}>
      <h2 id="image-viewer-title">{name}</h2>
      <img src={attachment.url} alt={`${name}, from ${from}, at full size`} />
      <div class="dialog-actions">
        <a class="button" href={attachment.url} download={attachment.name || undefined}>
          Download
        </a>
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </dialog>,
    document.body,
  );
}
