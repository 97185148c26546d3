/** Where uploads go and how big they may be; from the app config. */
export interface DocumentsOptions {
  /** Directory of stored files (by content hash). */
  dir: string;
  /** Largest accepted upload, bytes. */
  maxBytes: number;
  /** Largest decoded image, pixels: decoding and OCR memory grow with it, not with the file's size. */
  maxPixels: number;
}

export const DOCUMENTS_OPTIONS = Symbol('DOCUMENTS_OPTIONS');
export const OCR_QUEUE = 'ocr';
