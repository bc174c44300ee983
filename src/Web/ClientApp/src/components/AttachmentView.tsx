import { humanSize, isInlineImage, typeLabel } from '../logic/uploads';
import type { MessageAttachment } from '../types';

/** Images inline as previews (click opens full size); other files as download cards, PDFs with their first page. */
export function AttachmentView({ attachment, from }: { attachment: MessageAttachment; from: string }) {
  if (isInlineImage(attachment.contentType)) {
    return (
      <a class="attachment-image" href={attachment.url} target="_blank" rel="noopener">
        <img src={attachment.previewUrl ?? attachment.url} alt={`Image from ${from}`} loading="lazy" />
      </a>
    );
  }
  return (
    <a class="attachment-card" href={attachment.url} download>
      {attachment.previewUrl && (
        <img
          class="attachment-preview"
          src={attachment.previewUrl}
          alt={`First page of the ${typeLabel(attachment.contentType)} from ${from}`}
          loading="lazy"
          // A file that could not be rendered keeps its card without a broken picture.
          onError={(event) => (event.currentTarget.style.display = 'none')}
        />
      )}
      <span class="attachment-row">
        <span class="attachment-type">{attachment.name || typeLabel(attachment.contentType)}</span>
        <span class="attachment-size">
          {typeLabel(attachment.contentType)} · {humanSize(attachment.size)}
        </span>
        <span class="attachment-action">Download</span>
      </span>
    </a>
  );
}
