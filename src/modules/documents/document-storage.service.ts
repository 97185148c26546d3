import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { DOCUMENTS_OPTIONS, type DocumentsOptions } from './documents.options.js';

/** Files on disk by content hash (`ab/abcdef….png`): the same image is stored once. */
@Injectable()
export class DocumentStorage {
  constructor(@Inject(DOCUMENTS_OPTIONS) private readonly options: DocumentsOptions) {}

  pathOf(hash: string, ext: string): string {
    return join(this.options.dir, hash.slice(0, 2), `${hash}.${ext}`);
  }

  async save(hash: string, ext: string, bytes: Buffer): Promise<string> {
    const path = this.pathOf(hash, ext);
    await mkdir(join(this.options.dir, hash.slice(0, 2)), { recursive: true });
    // "wx": an existing file (same hash, so same bytes) is kept as it is.
    await writeFile(path, bytes, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    return path;
  }
}
