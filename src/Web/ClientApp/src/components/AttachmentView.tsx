import { humanSize, isInlineImage, typeLabel } from '../logic/uploads';
import type { MessageAttachment } from '../types';

/** Images inline (click to open full size); every other file as a download card. */
export function AttachmentView({ attachment, from }: { attachment: MessageAttachment; from: string }) {
  if (isInlineImage(attachment.contentType)) {
    return (
      <a class="attachment-image" href={attachment.url} target="_blank" rel="noopener">
        <img src={attachment.url} alt={`Image from ${from}`} loading="lazy" />
      </a>
    );
  }
  return (
    <a class="attachment-card" href={attachment.url} download>
      <span class="attachment-type">{typeLabel(attachment.contentType)}</span>
      <span class="attachment-size">{humanSize(attachment.size)}</span>
      <span class="attachment-action">Download</span>
    </a>
  );
}
