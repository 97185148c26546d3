import { Controller, ForbiddenException, Get, Param, Req, UseGuards } from '@nestjs/common';
import { mayAccess, SessionGuard, type SessionRequest } from '../auth/session.guard.js';
import { CacheRoute } from 'nestjs-layered-cache';
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
  @UseGuards(SessionGuard)
  @CacheRoute({ ...CacheTtl.userDocumentSummary, scope: 'user', tags: documentHttpTags.owner })
  summary(@Param('userId') userId: string, @Req() req: SessionRequest): Promise<DocumentSummary> {
    const id = parseUserId(userId, 'userId');
    if (!mayAccess(req.user, id)) throw new ForbiddenException('Only its owner or an admin sees this summary');
    return this.documents.summary(id);
  }
}
