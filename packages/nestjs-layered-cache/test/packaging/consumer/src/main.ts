import 'reflect-metadata';
import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

// `node dist/main.js [cache-manager]`: the core alone, or with one integration's subpath (a module
// that is compiled, with its peers, only in the second step of the packaging test).
const extra: (Type | DynamicModule)[] = [];
if (process.argv[2] === 'cache-manager') {
  const integration = './cache-manager.module.js';
  extra.push(((await import(integration)) as { LegacyModule: Type }).LegacyModule);
}

@Module({ imports: [AppModule, ...extra] })
class RootModule {}

const app = await NestFactory.create(RootModule, { logger: ['error', 'warn'] });
app.enableShutdownHooks();
await app.listen(0, '127.0.0.1');
const address = app.getHttpServer().address() as { port: number };
console.log(JSON.stringify({ port: address.port }));
