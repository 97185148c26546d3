import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import {
  EventSubscriber,
  type DataSource,
  type EntityMetadata,
  type EntitySubscriberInterface,
  type InsertEvent,
  type ObjectLiteral,
  type QueryRunner,
  type RemoveEvent,
  type SoftRemoveEvent,
  type RecoverEvent,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
  type UpdateEvent,
} from 'typeorm';
import { CACHE_STACK } from '../cache.internal-constants.js';
import type { CacheStack } from '../core/cache-stack.js';
import { entityChangeTags, entityRulesOf, type EntityTagRuleFn } from '../tags/entity-change-tags.js';
import type { CacheInvalidationOptions } from './invalidation-options.interface.js';
import { CACHE_INVALIDATION_OPTIONS } from './invalidation.constants.js';
import { TransactionTagBuffer } from './transaction-tag-buffer.js';

/**
 * Maps entity changes to tags and invalidates them at the right moment: inside a transaction, the
 * tags are held (fills carrying them are not stored meanwhile) and bumped after the outer commit,
 * or dropped on rollback; outside one, they are bumped right after the statement. Registered on the
 * DataSource by the module: no `subscribers` entry needed.
 */
@Injectable()
@EventSubscriber()
export class EntityInvalidationSubscriber implements EntitySubscriberInterface, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('CacheInvalidation');
  private readonly buffer = new TransactionTagBuffer();
  private rules = new Map<unknown, EntityTagRuleFn>();
  private dataSource: DataSource | undefined;

  constructor(
    @Inject(CACHE_STACK) private readonly stack: CacheStack,
    @Inject(CACHE_INVALIDATION_OPTIONS) private readonly options: CacheInvalidationOptions,
    private readonly moduleRef: ModuleRef,
  ) {
    for (const rule of options.rules ?? []) this.rules.set(rule.entity, (before, after) => rule.tags(before, after));
  }

  /**
   * One subscriber per DataSource: each feature module's `forFeature({ rules })` adds its rules to
   * the one already attached, so a change is never invalidated twice.
   */
  onModuleInit(): void {
    const dataSource = this.moduleRef.get<DataSource>(getDataSourceToken(this.options.dataSource), { strict: false });
    // Shared per DataSource, so change data capture (nestjs-layered-cache/cdc) applies the same rules.
    const shared = entityRulesOf(dataSource);
    for (const [entity, tags] of this.rules) shared.set(entity, tags);
    this.rules = shared;
    if (dataSource.subscribers.some((s) => s instanceof EntityInvalidationSubscriber)) return;
    this.dataSource = dataSource;
    dataSource.subscribers.push(this);
  }

  onModuleDestroy(): void {
    const subscribers = this.dataSource?.subscribers;
    if (subscribers?.includes(this)) subscribers.splice(subscribers.indexOf(this), 1);
  }

  afterInsert(event: InsertEvent<ObjectLiteral>): Promise<void> {
    return this.changed(event.queryRunner, event.metadata, undefined, event.entity);
  }

  afterUpdate(event: UpdateEvent<ObjectLiteral>): Promise<void> {
    const before = event.databaseEntity;
    // save() gives the loaded row and the changes; update(criteria, set) gives only the SET values.
    const after = before && event.entity ? { ...before, ...event.entity } : undefined;
    return this.changed(event.queryRunner, event.metadata, before, after);
  }

  afterRemove(event: RemoveEvent<ObjectLiteral>): Promise<void> {
    const before = event.databaseEntity ?? event.entity;
    return this.changed(event.queryRunner, event.metadata, before, undefined, event.entityId);
  }

  afterSoftRemove(event: SoftRemoveEvent<ObjectLiteral>): Promise<void> {
    return this.changed(event.queryRunner, event.metadata, event.databaseEntity ?? event.entity, undefined);
  }

  afterRecover(event: RecoverEvent<ObjectLiteral>): Promise<void> {
    return this.changed(event.queryRunner, event.metadata, undefined, event.databaseEntity ?? event.entity);
  }

  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    if (event.queryRunner.isTransactionActive) return; // a savepoint; the outer commit decides
    const tags = this.buffer.take(event.queryRunner);
    if (tags.length === 0) return;
    try {
      await this.stack.writes.invalidateTags(tags, 'subscriber');
    } catch (error) {
      // The data is committed: throwing here would reject a successful transaction.
      this.logger.error(`Invalidation after commit failed: ${(error as Error).message}`);
    } finally {
      this.stack.pendingTags.release(tags);
    }
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (event.queryRunner.isTransactionActive) return;
    this.stack.pendingTags.release(this.buffer.take(event.queryRunner));
  }

  private async changed(
    runner: QueryRunner | undefined,
    metadata: EntityMetadata,
    before: ObjectLiteral | undefined,
    after: ObjectLiteral | undefined,
    entityId?: unknown,
  ): Promise<void> {
    const tags = this.tagsOf(metadata, before, after, entityId);
    if (runner?.isTransactionActive) {
      this.stack.pendingTags.hold(this.buffer.add(runner, tags));
      return;
    }
    await this.stack.writes.invalidateTags(tags, 'subscriber');
  }

  private tagsOf(
    metadata: EntityMetadata,
    before: ObjectLiteral | undefined,
    after: ObjectLiteral | undefined,
    entityId: unknown,
  ): string[] {
    return entityChangeTags(metadata, before, after, {
      entityId,
      rule: this.rules.get(metadata.target),
      // A broken rule must not lose the invalidation: the bulk tag stands in for its tags.
      onRuleError: (error) =>
        this.logger.error(`Invalidation rule for ${metadata.targetName} failed: ${error.message}`),
    });
  }
}
