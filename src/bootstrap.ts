import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppModule } from './app.module.js';
import type { AppConfig, AppRuntime } from './config/app-config.js';
import { seedDemoData, seedInventory } from './database/seed.js';
import { seedDocuments } from './modules/documents/documents.seed.js';
import { DEMO_USERS, seedUsers } from './modules/auth/users.seed.js';
import { ensureAdminAccount } from './modules/auth/admin-account.seed.js';
import { applyHttpSecurity, docsEnabled } from './common/http/http-security.js';
import { DocumentsService } from './modules/documents/documents.service.js';
import { startAppPostgres, startEmbeddedRedis } from '@internal/dev-services';
import { CacheService, redisOptionsFromEnv } from 'nestjs-layered-cache';
import { CacheWarmingService } from 'nestjs-layered-cache/warming';

export interface RunningApp {
  app: NestExpressApplication;
  url: string;
  /** The admin routes' bearer token (generated for this run unless CACHE_ADMIN_TOKEN is set). */
  adminToken: string;
  /** Closes the app, then any embedded servers it started. */
  close(): Promise<void>;
}

/**
 * Resolves infrastructure (the given URLs, or embedded Postgres and Redis under DATA_DIR when a
 * URL is missing), boots the app, runs migrations and the one-time seed, and listens.
 */
export async function startApp(config: AppConfig): Promise<RunningApp> {
  const logger = new Logger('Bootstrap');
  const stops: (() => Promise<void>)[] = [];
  const dataDir = resolve(config.DATA_DIR);

  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const pg = await startAppPostgres(`${dataDir}/postgres`);
    stops.push(() => pg.stop());
    databaseUrl = pg.databaseUrl;
    logger.log(`Embedded Postgres started (data in ${pg.dataDir})`);
  }
  let redis = redisOptionsFromEnv(config);
  if (!redis) {
    const embedded = await startEmbeddedRedis({ dataDir: `${dataDir}/redis` });
    stops.push(() => embedded.stop());
    redis = { url: embedded.url };
    logger.log(`Embedded Redis started at ${embedded.url} (AOF in ${dataDir}/redis)`);
  }

  const adminToken = config.CACHE_ADMIN_TOKEN ?? randomBytes(24).toString('base64url');
  const runtime: AppRuntime = { config, databaseUrl, redis, adminToken };
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(runtime), {
    logger: config.NODE_ENV === 'test' ? ['error', 'warn'] : undefined,
  });
  const close = async () => {
    await app.close();
    for (const stop of stops.reverse()) await stop();
  };
  try {
    applyHttpSecurity(app, config);
    if (docsEnabled(config))
      SwaggerModule.setup('docs', app, () =>
        SwaggerModule.createDocument(
          app,
          new DocumentBuilder().setTitle('Sample ERP + cache admin API').addBearerAuth().build(),
        ),
      );
    // Lifecycle hooks first: the cache connects to Redis in onModuleInit, and the seed uses it.
    await app.init();
    const dataSource = app.get<DataSource>(getDataSourceToken());
    const cache = app.get(CacheService);
    const invalidate = (tags: string[]) => cache.invalidateTags(tags);
    if (await seedDemoData(dataSource, config.SEED_PRODUCTS, invalidate))
      logger.log(`Seeded ${config.SEED_PRODUCTS} demo products`);
    if (await seedInventory(dataSource, invalidate)) logger.log('Seeded 3 warehouses and opening stock');
    if (config.NODE_ENV !== 'production') await seedUsers(dataSource);
    // At every start, not only the first: the README's tour begins with these.
    if (config.NODE_ENV === 'development')
      logger.log(`Demo users: ${DEMO_USERS.map((u) => `${u.email} / ${u.password}`).join(', ')}`);
    if (
      config.ADMIN_EMAIL &&
      config.ADMIN_PASSWORD &&
      (await ensureAdminAccount(dataSource, config.ADMIN_EMAIL, config.ADMIN_PASSWORD))
    )
      logger.log(`Created the admin account ${config.ADMIN_EMAIL} (ADMIN_EMAIL)`);
    const documents = await seedDocuments(dataSource, app.get(DocumentsService), config.SEED_DOCUMENTS);
    if (documents > 0) logger.log(`Uploaded ${documents} demo documents (OCR runs in the background)`);
    // Only now (migrations ran in app.init(), the seed just committed): nothing to warm before.
    await app.get(CacheWarmingService).runStartupWarmers();
    await app.listen(config.PORT, config.HOST);
  } catch (error) {
    await close();
    throw error;
  }
  const url = (await app.getUrl()).replace('[::1]', 'localhost');
  if (!config.CACHE_ADMIN_TOKEN && config.NODE_ENV === 'development') {
    logger.log(`Admin token (generated for this run; set CACHE_ADMIN_TOKEN to fix one): ${adminToken}`);
    logger.log(`Dashboard: ${url}/cache/dashboard   API docs: ${url}/docs   Metrics: ${url}/metrics`);
  }
  return { app, url, adminToken, close };
}
