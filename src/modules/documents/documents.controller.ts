import {
  Body,
  Controller,
  Get,
  Headers,
  Param,
  ParseUUIDPipe,
  Post,
  UploadedFile,
  UseInterceptors,
  BadRequestException,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { CacheRoute } from '../../cache/index.js';
import { CacheTtl } from '../../config/cache-ttl.profiles.js';
import { documentHttpTags } from './documents.cache-rules.js';
import { DocumentsService } from './documents.service.js';
import type { DocumentStatusView, DocumentView } from './dto/document.view.js';
import { parseTitle, parseUserId } from './dto/upload.dto.js';
import type { OcrResult } from './ocr-engine.service.js';

const uuid = new ParseUUIDPipe();

/** What multer's memory storage hands over. */
interface UploadedImage {
  buffer: Buffer;
  originalname: string;
}

/** Uploads are OCR'd in the background; every read is cached and invalidated when the row changes. */
@Controller('documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  /** multipart/form-data: `file` (PNG or JPEG, at most DOCUMENTS_MAX_BYTES), optional `title`. */
  @Post()
  @UseInterceptors(FileInterceptor('file'))
  upload(
    @UploadedFile() file: UploadedImage | undefined,
    @Body('title') title: unknown,
    @Headers('x-user-id') userId: string | undefined,
  ): Promise<{ uuid: string; status: string }> {
    if (!file) throw new BadRequestException('multipart field "file" is required (a PNG or JPEG image)');
    return this.documents.upload({
      bytes: file.buffer,
      ownerId: parseUserId(userId),
      title: parseTitle(title, file.originalname),
    });
  }

  /** Not HTTP-cached: every read is counted (write-behind); the metadata itself is cached by the service. */
  @Get(':uuid')
  metadata(@Param('uuid', uuid) id: string): Promise<DocumentView> {
    return this.documents.read(id);
  }

  @Get(':uuid/ocr')
  @CacheRoute({ ...CacheTtl.ocrResult, tags: documentHttpTags.document })
  ocr(@Param('uuid', uuid) id: string): Promise<OcrResult> {
    return this.documents.ocr(id);
  }

  @Get(':uuid/status')
  @CacheRoute({ ...CacheTtl.processingStatus, tags: documentHttpTags.document })
  status(@Param('uuid', uuid) id: string): Promise<DocumentStatusView> {
    return this.documents.status(id);
  }
}
