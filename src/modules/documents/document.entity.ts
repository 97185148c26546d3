import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const DOCUMENT_STATUSES = ['queued', 'processing', 'completed', 'failed'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

@Entity({ name: 'documents' })
export class Document {
  @PrimaryGeneratedColumn('uuid')
  uuid: string;

  @Column({ name: 'owner_id', type: 'varchar', length: 64 })
  ownerId: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  /** sha256 of the file, hex: the file's name on disk and the OCR cache key. */
  @Column({ name: 'content_hash', type: 'char', length: 64 })
  contentHash: string;

  @Column({ type: 'varchar', length: 50 })
  mime: string;

  /** Bytes. */
  @Column({ type: 'integer' })
  size: number;

  @Column({ type: 'varchar', length: 12, default: 'queued' })
  status: DocumentStatus;

  @Column({ name: 'ocr_text', type: 'text', nullable: true })
  ocrText: string | null;

  /** 0–100, from the OCR engine. */
  @Column({ type: 'real', nullable: true })
  confidence: number | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  language: string | null;

  @Column({ name: 'page_count', type: 'integer', nullable: true })
  pageCount: number | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'access_count', type: 'integer', default: 0 })
  accessCount: number;

  @Column({ name: 'last_accessed_at', type: 'timestamptz', nullable: true })
  lastAccessedAt: Date | null;
}
