import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { DataSource, Repository } from 'typeorm';
import { BackgroundTask, CacheService } from '../../cache/index.js';
import { CacheTtl } from '../../config/cache-ttl.profiles.js';
import { Document } from './document.entity.js';
import { DocumentStorage } from './document-storage.service.js';
import { completed, type OcrJob } from './documents.service.js';
import { ocrKey } from './documents.cache-rules.js';
import { OCR_QUEUE } from './documents.options.js';
import { sniffImageType } from './image-type.js';
import { OcrEngine } from './ocr-engine.service.js';
import { readFile } from 'node:fs/promises';

/**
 * Runs queued OCR jobs, one at a time per instance (the engine is CPU-bound). The result is cached
 * by content hash through getOrSet, so the same image is recognized once, even across instances.
 * Status changes go through save(), so the subscriber invalidates the document's cached views, and
 * save only the columns OCR owns: the entity loaded at the start is stale by the end (write-behind
 * applies access_count meanwhile), and saving all of it would reset those counters.
 */
@Processor(OCR_QUEUE, { concurrency: 1 })
export class OcrProcessor extends WorkerHost {
  private readonly logger = new Logger('OcrProcessor');
  /** The worker's connection errors repeat while Redis is down: logged once per outage. */
  private readonly connection = new BackgroundTask('OCR worker', this.logger);
  private readonly documents: Repository<Document>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly storage: DocumentStorage,
    private readonly engine: OcrEngine,
    private readonly cache: CacheService,
  ) {
    super();
    this.documents = dataSource.getRepository(Document);
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.connection.failed(error);
  }

  @OnWorkerEvent('ready')
  onWorkerReady(): void {
    this.connection.succeeded();
  }

  async process(job: Job<OcrJob>): Promise<void> {
    const document = await this.documents.findOneBy({ uuid: job.data.uuid });
    if (!document || document.status === 'completed') return;
    await this.documents.save({ uuid: document.uuid, status: 'processing', error: null });
    try {
      const ext = document.mime === 'image/png' ? 'png' : 'jpg';
      const result = await this.cache.getOrSet(
        ocrKey(document.contentHash),
        async () => {
          const bytes = await readFile(this.storage.pathOf(document.contentHash, ext));
          if (!sniffImageType(bytes)) throw new Error('stored file is not a PNG or JPEG image');
          return this.engine.recognize(bytes);
        },
        CacheTtl.ocrResult,
      );
      await this.documents.save({ uuid: document.uuid, ...completed(result) });
    } catch (error) {
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(`OCR of ${document.uuid} failed (attempt ${job.attemptsMade + 1}): ${message}`);
      await this.documents.save({ uuid: document.uuid, status: final ? 'failed' : 'queued', error: message });
      throw error;
    }
  }
}
