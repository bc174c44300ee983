/** The server's limit; checked here too so that an oversize file is refused before any byte is sent. */
export const maxAttachmentBytes = 25 * 1024 * 1024;

export const tooLargeMessage = 'File over 25 MB — compress and retry';

export function sizeProblem(size: number): string | null {
  return size > maxAttachmentBytes ? tooLargeMessage : null;
}

/**
 * Sizes round up, never down: a file one byte over the 25 MB limit reads "25.1 MB", not a "25.0 MB"
 * that contradicts "File over 25 MB" beside it.
 */
export function humanSize(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  const kilobytes = Math.ceil(bytes / 1024);
  if (kilobytes < 1024) {
    return `${kilobytes} KB`;
  }
  return `${(Math.ceil((bytes / (1024 * 1024)) * 10) / 10).toFixed(1)} MB`;
}

/** Images the browser can show inline (phones' HEIC cannot be, so it gets a card). */
/** PDFs open in the browser's own viewer, in a tab of their own (the server's `/view`); other documents are downloads. */
export function opensInBrowser(contentType: string): boolean {
  return contentType === 'application/pdf';
}

/** Where a file opens in the browser: its download address with `/view` (served inline, loading nothing else). */
export function viewUrl(downloadUrl: string): string {
  return `${downloadUrl}/view`;
}

export function isInlineImage(contentType: string): boolean {
  return ['image/jpeg', 'image/png', 'image/gif', 'image/webp'].includes(contentType);
}

const typeLabels: Record<string, string> = {
  'application/pdf': 'PDF document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel spreadsheet',
  'application/vnd.oasis.opendocument.text': 'OpenDocument text',
  'text/plain': 'Text file',
  'text/csv': 'CSV file',
  'image/heic': 'Photo (HEIC)',
};

export function typeLabel(contentType: string): string {
  return typeLabels[contentType] ?? 'File';
}
