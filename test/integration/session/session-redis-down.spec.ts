import { createRequire } from 'node:module';
import { Controller, Get, Module, UseGuards, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheModule } from 'nestjs-layered-cache';
import { CacheSessionModule, generateSessionId } from 'nestjs-layered-cache/session';
import { SessionGuard } from '../../../src/modules/auth/session.guard.js';
import { uniquePrefix } from '../../helpers/unique-prefix.js';

const { sign } = createRequire(import.meta.url)('cookie-signature') as { sign(value: string, secret: string): string };
const SECRET = 'a-session-secret-of-at-least-32-chars';

@Controller()
class ProbeController {
  @Get('private')
  @UseGuards(SessionGuard)
  private() {
    return { ok: true };
  }

  @Get('public')
  public() {
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('sessions while Redis is down', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        CacheModule.forRoot({
          isGlobal: true,
          prefix: uniquePrefix('sess-down'),
          redis: { url: 'redis://127.0.0.1:1', connectTimeout: 200, commandTimeout: 200 },
        }),
        CacheSessionModule.forRoot({ secret: SECRET }),
        ProbeModule,
      ],
    }).compile();
    app = moduleRef.createNestApplication();
    app.useLogger(false);
    await app.init();
  });
  afterAll(() => app?.close());

  it('answers 503 on routes that need a session, and serves the others', async () => {
    const cookie = `sid=${encodeURIComponent(`s:${sign(generateSessionId(), SECRET)}`)}`;
    const res = await request(app.getHttpServer()).get('/private').set('Cookie', cookie).expect(503);
    expect(res.body.message).toMatch(/Sessions are unavailable/);
    await request(app.getHttpServer()).get('/public').set('Cookie', cookie).expect(200);
    await request(app.getHttpServer()).get('/private').expect(401);
  });
});
