import { BadRequestException } from '@nestjs/common';
import { hasNoControlCharacters } from '../../../common/pipes/index.js';

/** Until sessions exist (issue 9), the owner is the `X-User-Id` header, or `demo`. */
const USER_ID = /^[A-Za-z0-9_.@-]{1,64}$/;

export function parseUserId(value: string | undefined, name = 'X-User-Id'): string {
  if (value === undefined || value === '') return 'demo';
  if (USER_ID.test(value)) return value;
  throw new BadRequestException(`${name} must be 1–64 letters, digits or "_ . @ -", got ${JSON.stringify(value)}`);
}

export function parseTitle(title: unknown, fileName: string | undefined): string {
  if (title === undefined || title === '') return (fileName ?? '').replace(/[^\w .-]/g, '').slice(0, 200) || 'Untitled';
  if (typeof title !== 'string' || title.trim().length === 0 || title.length > 200 || !hasNoControlCharacters(title)) {
    throw new BadRequestException(
      'title must be a non-empty text of at most 200 characters, without control characters',
    );
  }
  return title.trim();
}
