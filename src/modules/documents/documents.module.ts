import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { CacheInvalidationModule } from 'nestjs-layered-cache/typeorm';
import { DocumentStorage } from './document-storage.service.js';
import { documentInvalidationRule } from './documents.cache-rules.js';
import { DocumentsController } from './documents.controller.js';
import { DOCUMENTS_OPTIONS, OCR_QUEUE, type DocumentsOptions } from './documents.options.js';
import { DocumentsService } from './documents.service.js';
import { OcrEngine } from './ocr-engine.service.js';
import { OcrProcessor } from './ocr.processor.js';
import { DocumentsWarmers } from './documents.warmers.js';
import { UserDocumentsController } from './user-documents.controller.js';

@Module({})
export class DocumentsModule {
  static forRoot(options: DocumentsOptions): DynamicModule {
    return {
      module: DocumentsModule,
      imports: [
        CacheInvalidationModule.forFeature({ rules: [documentInvalidationRule] }),
        BullModule.registerQueue({ name: OCR_QUEUE }),
        // Memory storage: the bytes are hashed before anything is written; the limit makes
        // multer answer 413 for larger files before they are buffered whole.
        MulterModule.register({ limits: { fileSize: options.maxBytes, files: 1, fields: 5 } }),
      ],
      controllers: [DocumentsController, UserDocumentsController],
      providers: [
        { provide: DOCUMENTS_OPTIONS, useValue: options },
        DocumentStorage,
        DocumentsService,
        OcrEngine,
        OcrProcessor,
        DocumentsWarmers,
      ],
      exports: [DocumentsService],
    };
  }
}
