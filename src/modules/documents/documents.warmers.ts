import { Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import { CacheWarmer, CacheWarmingService, type WarmContext } from 'nestjs-layered-cache/warming';
import { DocumentsService } from './documents.service.js';

/** Active users' summaries and the most read documents' metadata, hourly. */
@Injectable()
export class DocumentsWarmers implements OnModuleInit {
  constructor(
    private readonly documents: DocumentsService,
    @Optional() private readonly warming?: CacheWarmingService,
  ) {}

  onModuleInit(): void {
    this.warming?.register(...this.documents.readThrough());
  }

  @CacheWarmer({ name: 'active-user-summaries', schedule: '15 * * * *', priority: 10 })
  async summaries(ctx: WarmContext): Promise<void> {
    const owners = await this.documents.activeOwners();
    await ctx.each(owners, (owner) => this.documents.warmSummary(ctx, owner));
  }

  /** The most read documents (access counts kept by write-behind), reloaded whatever their TTL left. */
  @CacheWarmer({ name: 'hot-documents', schedule: '30 * * * *', priority: 10 })
  async hotDocuments(ctx: WarmContext): Promise<void> {
    const uuids = await this.documents.mostRead(100);
    // A document deleted since it was hot must not fail the others.
    await ctx.each(uuids, (uuid) => this.documents.warmMetadata(ctx, uuid).catch(() => undefined));
  }
}
