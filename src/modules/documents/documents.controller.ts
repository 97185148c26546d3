import {
  Body,
  Controller,
  Get,
  Req,
  UseGuards,
  Param,
  ParseUUIDPipe,
  Post,
  UploadedFile,
  UseInterceptors,
  BadRequestException,
  Header,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { CacheRoute } from 'nestjs-layered-cache';
import { CacheTtl } from '../../config/cache-ttl.profiles.js';
import { documentHttpTags } from './documents.cache-rules.js';
import { DocumentsService } from './documents.service.js';
import type { DocumentStatusView, DocumentView } from './dto/document.view.js';
import { parseTitle } from './dto/upload.dto.js';
import { mayAccess, SessionGuard, type SessionRequest } from '../auth/session.guard.js';
import type { OcrResult } from './ocr-engine.service.js';

const uuid = new ParseUUIDPipe();

/** What multer's memory storage hands over. */
interface UploadedImage {
  buffer: Buffer;
  originalname: string;
}

/**
 * Uploads are OCR'd in the background; reads are cached per user and invalidated when the row
 * changes. Every route needs a session; a document is visible to its owner and to admins.
 */
@UseGuards(SessionGuard)
@Controller('documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  /** multipart/form-data: `file` (PNG or JPEG, at most DOCUMENTS_MAX_BYTES), optional `title`. */
  @Post()
  @UseInterceptors(FileInterceptor('file'))
  upload(
    @UploadedFile() file: UploadedImage | undefined,
    @Body('title') title: unknown,
    @Req() req: SessionRequest,
  ): Promise<{ uuid: string; status: string }> {
    if (!file) throw new BadRequestException('multipart field "file" is required (a PNG or JPEG image)');
    return this.documents.upload({
      bytes: file.buffer,
      ownerId: String(req.user!.id),
      title: parseTitle(title, file.originalname),
    });
  }

  /** Not HTTP-cached: every read is counted (write-behind); the metadata itself is cached by the service. */
  @Get(':uuid')
  @Header('Cache-Control', 'private, no-store')
  metadata(@Param('uuid', uuid) id: string, @Req() req: SessionRequest): Promise<DocumentView> {
    return this.documents.read(id, (ownerId) => mayAccess(req.user, ownerId));
  }

  @Get(':uuid/ocr')
  @CacheRoute({ ...CacheTtl.ocrResult, scope: 'user', tags: documentHttpTags.document })
  async ocr(@Param('uuid', uuid) id: string, @Req() req: SessionRequest): Promise<OcrResult> {
    await this.documents.assertAccess(id, (ownerId) => mayAccess(req.user, ownerId));
    return this.documents.ocr(id);
  }

  @Get(':uuid/status')
  @CacheRoute({ ...CacheTtl.processingStatus, scope: 'user', tags: documentHttpTags.document })
  async status(@Param('uuid', uuid) id: string, @Req() req: SessionRequest): Promise<DocumentStatusView> {
    await this.documents.assertAccess(id, (ownerId) => mayAccess(req.user, ownerId));
    return this.documents.status(id);
  }
}
