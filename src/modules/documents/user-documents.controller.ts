import { Controller, Get, Param } from '@nestjs/common';
import { CacheRoute } from '../../cache/index.js';
import { CacheTtl } from '../../config/cache-ttl.profiles.js';
import { documentHttpTags } from './documents.cache-rules.js';
import { DocumentsService } from './documents.service.js';
import type { DocumentSummary } from './dto/document.view.js';
import { parseUserId } from './dto/upload.dto.js';

@Controller('users')
export class UserDocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  /** Counts by status; invalidated by any change to one of the user's documents. */
  @Get(':userId/documents/summary')
  @CacheRoute({ ...CacheTtl.userDocumentSummary, tags: documentHttpTags.owner })
  summary(@Param('userId') userId: string): Promise<DocumentSummary> {
    return this.documents.summary(parseUserId(userId, 'userId'));
  }
}
