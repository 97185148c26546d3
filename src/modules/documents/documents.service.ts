import { createHash } from 'node:crypto';
import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import sharp from 'sharp';
import type { DataSource, Repository } from 'typeorm';
import { BackgroundTask, CacheService, entityTags, type CacheSetOptions } from 'nestjs-layered-cache';
import { type WarmContext } from 'nestjs-layered-cache/warming';
import { WriteBehindService } from 'nestjs-layered-cache/write-behind';
import { CacheTtl } from '../../config/cache-ttl.profiles.js';
import { Document, DOCUMENT_STATUSES, type DocumentStatus } from './document.entity.js';
import { DocumentStorage } from './document-storage.service.js';
import { DOCUMENT, ocrKey, ownerTag } from './documents.cache-rules.js';

/** How long an upload waits for the OCR queue to take its job. */
const QUEUE_WAIT_MS = 2_000;
const documentKey = (uuid: string) => `document:${uuid}`;
const summaryKey = (userId: string) => `documents-summary:${userId}`;
import { DOCUMENTS_OPTIONS, OCR_QUEUE, type DocumentsOptions } from './documents.options.js';
import {
  toDocumentView,
  type DocumentStatusView,
  type DocumentSummary,
  type DocumentView,
} from './dto/document.view.js';
import { sniffImageType } from './image-type.js';
import type { OcrResult } from './ocr-engine.service.js';

export interface OcrJob {
  uuid: string;
}

export interface Upload {
  bytes: Buffer;
  ownerId: string;
  title: string;
}

@Injectable()
export class DocumentsService {
  private readonly logger = new Logger('Documents');
  private readonly documents: Repository<Document>;
  /** Counting reads and queueing OCR fail while Redis is down: logged once per outage, not per read. */
  private readonly counting = new BackgroundTask('Document access counting', this.logger);
  private readonly ocrQueue = new BackgroundTask('OCR queue', this.logger);

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @InjectQueue(OCR_QUEUE) private readonly queue: Queue<OcrJob>,
    private readonly storage: DocumentStorage,
    private readonly cache: CacheService,
    private readonly writeBehind: WriteBehindService,
    @Inject(DOCUMENTS_OPTIONS) private readonly options: DocumentsOptions,
  ) {
    this.documents = dataSource.getRepository(Document);
    // BullMQ reports connection trouble as 'error' events; unlistened, each one is printed.
    queue.on('error', (error) => this.ocrQueue.failed(error));
  }

  /**
   * Stores the file by content hash and creates the document. An image whose OCR result is known
   * (cached, or a finished twin in the database) completes at once; otherwise an OCR job is queued.
   */
  async upload({ bytes, ownerId, title }: Upload): Promise<{ uuid: string; status: DocumentStatus }> {
    const type = sniffImageType(bytes);
    if (!type) throw new BadRequestException('file must be a PNG or JPEG image');
    await this.assertDecodable(bytes, type.mime);
    const contentHash = createHash('sha256').update(bytes).digest('hex');
    await this.storage.save(contentHash, type.ext, bytes);
    const known = await this.knownResult(contentHash);
    const document = await this.documents.save(
      this.documents.create({
        ownerId,
        title,
        contentHash,
        mime: type.mime,
        size: bytes.length,
        ...(known ? completed(known) : { status: 'queued' as const }),
      }),
    );
    if (!known) await this.enqueue(document);
    return { uuid: document.uuid, status: document.status };
  }

  /**
   * The signature can lie and a file can be cut short: every pixel is decoded now (streaming,
   * without holding the image), so a broken file is a 400, not a failed job. Too many pixels is a
   * 400 before any decoding: memory grows with them, and a small file can hold a huge image.
   */
  private async assertDecodable(bytes: Buffer, mime: string): Promise<void> {
    const unreadable = (error: Error) =>
      new BadRequestException(`file is not a readable ${mime} image: ${error.message}`);
    const { width = 0, height = 0 } = await sharp(bytes)
      .metadata()
      .catch((error: Error) => Promise.reject(unreadable(error)));
    const { maxPixels } = this.options;
    if (width * height > maxPixels)
      throw new BadRequestException(
        `image is ${width}×${height} = ${width * height} pixels; at most ${maxPixels} are accepted (DOCUMENTS_MAX_PIXELS)`,
      );
    await sharp(bytes, { failOn: 'truncated', limitInputPixels: maxPixels, sequentialRead: true })
      .stats()
      .catch((error: Error) => Promise.reject(unreadable(error)));
  }

  /** Cached under `document:<uuid>` (metadata profile), invalidated by the row's changes. */
  metadata(uuid: string): Promise<DocumentView> {
    const id = uuid.toLowerCase();
    return this.cache.getOrSet(documentKey(id), () => this.loadMetadata(id), this.metadataOptions(id));
  }

  /**
   * A read by a user: counted through write-behind (no database write per read; the cached view
   * stays valid), and answered with the counts still waiting in Redis overlaid.
   */
  async read(uuid: string, canSee: (ownerId: string) => boolean): Promise<DocumentView> {
    const view = await this.metadata(uuid);
    if (!canSee(view.ownerId)) throw new ForbiddenException(`Document ${uuid} belongs to another user`);
    const counted = this.writeBehind
      .change('document', view.uuid, { lastAccessedAt: new Date().toISOString() }, { accessCount: 1 })
      .then(
        () => this.counting.succeeded(),
        (error: unknown) => this.counting.failed(error),
      );
    const pending = await counted.then(() => this.writeBehind.pending('document', view.uuid)).catch(() => undefined);
    if (!pending) return view;
    return {
      ...view,
      accessCount: view.accessCount + (pending.increment.accessCount ?? 0),
      lastAccessedAt: (pending.set.lastAccessedAt as string | undefined) ?? view.lastAccessedAt,
    };
  }

  /** 404 if unknown, 403 if `canSee` refuses its owner. */
  async assertAccess(uuid: string, canSee: (ownerId: string) => boolean): Promise<void> {
    const view = await this.metadata(uuid);
    if (!canSee(view.ownerId)) throw new ForbiddenException(`Document ${uuid} belongs to another user`);
  }

  /** The most read documents (access counts, as write-behind has written them). */
  async mostRead(limit: number): Promise<string[]> {
    const rows = (await this.documents.query('SELECT uuid FROM documents ORDER BY access_count DESC LIMIT $1', [
      limit,
    ])) as {
      uuid: string;
    }[];
    return rows.map((r) => r.uuid);
  }

  /** Refresh-ahead reloads hot `document:<uuid>` keys the way metadata() loads them. */
  readThrough(): [string, (key: string) => Promise<DocumentView>, (key: string) => CacheSetOptions] {
    const id = (key: string) => key.slice('document:'.length);
    return ['document:*', (key) => this.loadMetadata(id(key)), (key) => this.metadataOptions(id(key))];
  }

  /** Owners whose documents changed in the last day: their summaries are worth keeping warm. */
  async activeOwners(limit = 1000): Promise<string[]> {
    const rows = (await this.documents.query(
      `SELECT owner_id FROM documents WHERE updated_at > now() - interval '1 day'
       GROUP BY owner_id ORDER BY max(updated_at) DESC LIMIT $1`,
      [limit],
    )) as { owner_id: string }[];
    return rows.map((r) => r.owner_id);
  }

  warmMetadata(ctx: WarmContext, uuid: string): Promise<DocumentView> {
    return ctx.warm(documentKey(uuid), () => this.loadMetadata(uuid), this.metadataOptions(uuid));
  }

  warmSummary(ctx: WarmContext, userId: string): Promise<DocumentSummary> {
    return ctx.warm(summaryKey(userId), () => this.loadSummary(userId), this.summaryOptions(userId));
  }

  private loadMetadata(uuid: string): Promise<DocumentView> {
    return this.find(uuid).then(toDocumentView);
  }

  private metadataOptions(uuid: string): CacheSetOptions {
    return { ...CacheTtl.documentMetadata, tags: entityTags.row(DOCUMENT, uuid) };
  }

  private summaryOptions(userId: string): CacheSetOptions {
    return { ...CacheTtl.userDocumentSummary, tags: [ownerTag(userId)] };
  }

  async ocr(uuid: string): Promise<OcrResult> {
    const d = await this.find(uuid);
    if (d.status !== 'completed') {
      throw new ConflictException(`Document ${uuid} is ${d.status}: its OCR result is not available yet`);
    }
    return {
      text: d.ocrText ?? '',
      confidence: d.confidence ?? 0,
      language: d.language ?? '',
      pageCount: d.pageCount ?? 0,
    };
  }

  async status(uuid: string): Promise<DocumentStatusView> {
    const d = await this.find(uuid);
    return d.error ? { status: d.status, error: d.error } : { status: d.status };
  }

  summary(userId: string): Promise<DocumentSummary> {
    return this.cache.getOrSet(summaryKey(userId), () => this.loadSummary(userId), this.summaryOptions(userId));
  }

  private async loadSummary(userId: string): Promise<DocumentSummary> {
    const rows = (await this.documents.query(
      'SELECT status, count(*)::int AS count FROM documents WHERE owner_id = $1 GROUP BY status',
      [userId],
    )) as { status: DocumentStatus; count: number }[];
    const byStatus = Object.fromEntries(DOCUMENT_STATUSES.map((s) => [s, 0])) as Record<DocumentStatus, number>;
    for (const row of rows) byStatus[row.status] = row.count;
    return { userId, total: rows.reduce((sum, row) => sum + row.count, 0), byStatus };
  }

  private async find(uuid: string): Promise<Document> {
    const d = await this.documents.findOneBy({ uuid: uuid.toLowerCase() });
    if (!d) throw new NotFoundException(`Document ${uuid} not found`);
    return d;
  }

  /** The cache first (7 days); then a completed document with the same bytes, which refills it. */
  private async knownResult(contentHash: string): Promise<OcrResult | undefined> {
    const cached = await this.cache.get<OcrResult>(ocrKey(contentHash));
    if (cached) return cached;
    const twin = await this.documents.findOneBy({ contentHash, status: 'completed' });
    if (!twin) return undefined;
    const result = {
      text: twin.ocrText ?? '',
      confidence: twin.confidence ?? 0,
      language: twin.language ?? '',
      pageCount: twin.pageCount ?? 1,
    };
    await this.cache.set(ocrKey(contentHash), result, CacheTtl.ocrResult);
    return result;
  }

  private async enqueue(document: Document): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const added = this.queue.add(
        'recognize',
        { uuid: document.uuid },
        {
          jobId: document.uuid,
          attempts: 3,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: 1000,
          removeOnFail: 5000,
        },
      );
      // BullMQ's connection holds commands while Redis is down, until it reconnects: the upload
      // (and the boot's seed) must not wait for that. A job added late still runs and completes it.
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${QUEUE_WAIT_MS} ms`)), QUEUE_WAIT_MS);
      });
      // The race observes `added`: if it fails after the bound, that is no unhandled rejection.
      await Promise.race([added, late]);
    } catch (error) {
      const message = `OCR queue unavailable: ${(error as Error).message}`;
      this.logger.warn(message);
      await this.documents.save({ uuid: document.uuid, status: 'failed', error: message });
      throw new ServiceUnavailableException('The OCR queue is unavailable; try again later');
    } finally {
      clearTimeout(timer);
    }
  }
}

export function completed(result: OcrResult): Partial<Document> {
  return {
    status: 'completed',
    ocrText: result.text,
    confidence: result.confidence,
    language: result.language,
    pageCount: result.pageCount,
    error: null,
  };
}
