import { entityTags, type HttpRequestLike } from 'nestjs-layered-cache';
import { type EntityInvalidationRule } from 'nestjs-layered-cache/typeorm';
import { Document } from './document.entity.js';

export const DOCUMENT = 'document';

export const ownerTag = (ownerId: string): string => `documentOwner:${ownerId}`;
export const ocrKey = (contentHash: string): string => `ocr:${contentHash}`;

/** A document's changes also invalidate its owner's summary (both owners, if it changed hands). */
export const documentInvalidationRule: EntityInvalidationRule<Document> = {
  entity: Document,
  tags: (before, after) => [before && ownerTag(before.ownerId), after && ownerTag(after.ownerId)],
};

/** HTTP tags; uuids compared lower-case, as Postgres prints them. */
export const documentHttpTags = {
  document: (req: HttpRequestLike): string[] => entityTags.row(DOCUMENT, String(req.params?.uuid).toLowerCase()),
  owner: (req: HttpRequestLike): string[] => [ownerTag(String(req.params?.userId))],
};
