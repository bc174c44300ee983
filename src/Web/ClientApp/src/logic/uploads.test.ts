import { describe, expect, it } from 'vitest';
import { humanSize, isInlineImage, opensInBrowser, sizeProblem, typeLabel, viewUrl } from './uploads';

describe('uploads', () => {
  it('refuses a file one byte over 25 MB before uploading it', () => {
    expect(sizeProblem(25 * 1024 * 1024)).toBeNull();
    expect(sizeProblem(25 * 1024 * 1024 + 1)).toBe('File over 25 MB — compress and retry');
  });

  it('shows browser-renderable images inline and everything else as a card', () => {
    expect(isInlineImage('image/png')).toBe(true);
    expect(isInlineImage('image/heic')).toBe(false);
    expect(isInlineImage('application/pdf')).toBe(false);
    expect(typeLabel('application/pdf')).toBe('PDF document');
  });

  it('writes sizes for people', () => {
    expect(humanSize(512)).toBe('512 B');
    expect(humanSize(2048)).toBe('2 KB');
    expect(humanSize(3.5 * 1024 * 1024)).toBe('3.5 MB');
  });

  it('rounds sizes up, so a file over the limit never reads as within it', () => {
    expect(humanSize(25 * 1024 * 1024)).toBe('25.0 MB');
    expect(humanSize(25 * 1024 * 1024 + 1)).toBe('25.1 MB');
    expect(humanSize(1025)).toBe('2 KB');
    expect(humanSize(1024 * 1024 - 1)).toBe('1.0 MB');
  });

  it('opens PDFs in the browser at the file\'s /view address and downloads other documents', () => {
    expect(opensInBrowser('application/pdf')).toBe(true);
    expect(opensInBrowser('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe(false);
    expect(opensInBrowser('text/csv')).toBe(false);
    expect(viewUrl('/api/v1/attachments/5d8a')).toBe('/api/v1/attachments/5d8a/view');
  });
});
