import { useRef, useState } from 'preact/hooks';
import { humanSize, isInlineImage, opensInBrowser, typeLabel, viewUrl } from '../logic/uploads';
import type { MessageAttachment } from '../types';
import { ImageViewer } from './ImageViewer';

interface Props {
  attachment: MessageAttachment;
  from: string;
  /** An inline image (or a file card's first page) has its size only once loaded: the log re-scrolls then if it was at the bottom. */
  onImageLoad?: () => void;
}

/**
 * Images inline as previews (click opens them full size in a viewer); PDFs as cards with their first page that open in
 * the browser's own viewer in a new tab, with a separate Download; other files as download cards.
 */
export function AttachmentView({ attachment, from, onImageLoad }: Props) {
  if (isInlineImage(attachment.contentType)) {
    return <InlineImage attachment={attachment} from={from} onImageLoad={onImageLoad} />;
  }
  if (opensInBrowser(attachment.contentType)) {
    return (
      <div class="attachment-card">
        <a
          class="attachment-open"
          href={viewUrl(attachment.url)}
          target="_blank"
          rel="noopener noreferrer"
          aria-label={`Open ${attachment.name || typeLabel(attachment.contentType)} (${typeLabel(attachment.contentType)}, ${humanSize(attachment.size)}) in a new tab`}
        >
          <CardContent attachment={attachment} from={from} action="Open" onImageLoad={onImageLoad} />
        </a>
        <a class="attachment-download" href={attachment.url} download aria-label={`Download ${attachment.name || typeLabel(attachment.contentType)}`}>
          Download
        </a>
      </div>
    );
  }
  return (
    <a class="attachment-card" href={attachment.url} download>
      <CardContent attachment={attachment} from={from} action="Download" onImageLoad={onImageLoad} />
    </a>
  );
}

/** A file card's first page (when there is one), name, type and size, and what clicking it does. */
function CardContent({ attachment, from, action, onImageLoad }: Props & { action: string }) {
  return (
    <>
      {attachment.previewUrl && (
        <img
          class="attachment-preview"
          src={attachment.previewUrl}
          alt={`First page of the ${typeLabel(attachment.contentType)} from ${from}`}
          loading="lazy"
          onLoad={onImageLoad}
          // A file that could not be rendered keeps its card without a broken picture.
          onError={(event) => (event.currentTarget.style.display = 'none')}
        />
      )}
      <span class="attachment-row">
        <span class="attachment-type">{attachment.name || typeLabel(attachment.contentType)}</span>
        <span class="attachment-size">
          {typeLabel(attachment.contentType)} · {humanSize(attachment.size)}
        </span>
        <span class="attachment-action">{action}</span>
      </span>
    </>
  );
}

function InlineImage({ attachment, from, onImageLoad }: Props) {
  const [viewing, setViewing] = useState(false);
  // The preview first; an image the server could not scale down (a file its decoder refuses but a browser shows) falls
  // back to the file itself, and a file no browser can show either to a download card, never a broken picture.
  const [source, setSource] = useState<'preview' | 'file' | 'none'>(attachment.previewUrl ? 'preview' : 'file');
  const opener = useRef<HTMLButtonElement>(null);
  const close = () => {
    setViewing(false);
    // The dialog goes with its content; focus goes back to where the reader was.
    opener.current?.focus();
  };
  if (source === 'none') {
    return (
      <a class="attachment-card" href={attachment.url} download>
        <CardContent attachment={{ ...attachment, previewUrl: null }} from={from} action="Download" />
      </a>
    );
  }
  return (
    <>
      <button type="button" class="attachment-image" aria-haspopup="dialog" ref={opener} onClick={() => setViewing(true)}>
        <img
          src={source === 'preview' ? attachment.previewUrl! : attachment.url}
          alt={`Image from ${from}`}
          loading="lazy"
          onLoad={onImageLoad}
          onError={() => setSource(source === 'preview' ? 'file' : 'none')}
        />
      </button>
      {viewing && <ImageViewer attachment={attachment} from={from} onClose={close} />}
    </>
  );
}
