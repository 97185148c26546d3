import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { CacheModule, CacheRoute, CacheService } from 'nestjs-layered-cache';

/** A consumer's code, written against the published package only (types from its .d.ts). */
@Injectable()
export class GreetingService {
  loads = 0;

  constructor(private readonly cache: CacheService) {}

  greeting(name: string): Promise<{ hello: string; loads: number }> {
    return this.cache.getOrSet(`greeting:${name}`, async () => ({ hello: name, loads: ++this.loads }), {
      tags: ['greetings'],
    });
  }
}

@Controller()
export class GreetingController {
  constructor(private readonly greetings: GreetingService) {}

  @Get('route')
  @CacheRoute({ ttl: 60_000 })
  route(): { at: number } {
    return { at: Date.now() };
  }

  @Get('service')
  service(): Promise<{ hello: string; loads: number }> {
    return this.greetings.greeting('world');
  }
}

@Module({
  imports: [
    CacheModule.forRoot({
      isGlobal: true,
      prefix: process.env.CACHE_PREFIX ?? 'consumer',
      redis: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    }),
  ],
  controllers: [GreetingController],
  providers: [GreetingService],
})
export class AppModule {}
