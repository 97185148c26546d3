import type { Document, DocumentStatus } from '../document.entity.js';

export interface DocumentView {
  uuid: string;
  ownerId: string;
  title: string;
  contentHash: string;
  mime: string;
  size: number;
  status: DocumentStatus;
  confidence: number | null;
  language: string | null;
  pageCount: number | null;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Reads so far, including those not yet written to the database (write-behind). */
  accessCount: number;
  lastAccessedAt: Date | string | null;
}

export interface DocumentStatusView {
  status: DocumentStatus;
  error?: string;
}

export interface DocumentSummary {
  userId: string;
  total: number;
  byStatus: Record<DocumentStatus, number>;
}

export function toDocumentView(d: Document): DocumentView {
  return {
    uuid: d.uuid,
    ownerId: d.ownerId,
    title: d.title,
    contentHash: d.contentHash,
    mime: d.mime,
    size: d.size,
    status: d.status,
    confidence: d.confidence,
    language: d.language,
    pageCount: d.pageCount,
    error: d.error,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    accessCount: d.accessCount,
    lastAccessedAt: d.lastAccessedAt,
  };
}
