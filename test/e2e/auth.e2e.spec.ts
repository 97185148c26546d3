import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/bootstrap.js';
import { AuthService } from '../../src/modules/auth/auth.service.js';
import { uniquePrefix } from '../helpers/unique-prefix.js';
import { loginAsNewUser, startE2eApp } from '../helpers/e2e-app.js';

const cookieOf = (res: request.Response) =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('sid='))
    ?.split(';')[0];

describe('sample app: sessions and authentication', () => {
  const prefix = uniquePrefix('auth');
  // As behind one reverse proxy on this host: X-Forwarded-For gives each request its address.
  const env = { CACHE_PREFIX: prefix, TRUST_PROXY: 'loopback' };
  let running: RunningApp;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    running = await startE2eApp(env);
    http = request(running.app.getHttpServer());
  });
  afterAll(() => running?.close());

  it('logs in with a new session id (no fixation), with secure cookie attributes', async () => {
    const { email, password } = await loginAsNewUser(running);
    const anonymous = await http.get('/auth/me').expect(401);
    expect(anonymous.body.message).toMatch(/Log in first/);
    // A session that exists before login (set by an attacker, say) is replaced at login.
    const agent = request.agent(running.app.getHttpServer());
    const first = await agent.post('/auth/login').send({ email, password }).expect(200);
    const before = cookieOf(first)!;
    const second = await agent.post('/auth/login').send({ email, password }).expect(200);
    const after = cookieOf(second)!;
    expect(after).not.toBe(before);
    expect(([] as string[]).concat(second.headers['set-cookie']).join(';')).toMatch(
      /HttpOnly.*SameSite=Lax|SameSite=Lax.*HttpOnly/i,
    );
    await request(running.app.getHttpServer()).get('/auth/me').set('Cookie', before).expect(401);
    expect((await agent.get('/auth/me').expect(200)).body.user.email).toBe(email);
  });

  it('answers an unknown email and a wrong password the same way', async () => {
    const { email } = await loginAsNewUser(running);
    const wrong = await http.post('/auth/login').send({ email, password: 'not-the-password' }).expect(401);
    const unknown = await http
      .post('/auth/login')
      .send({ email: `nobody-${Date.now()}@example.com`, password: 'x' })
      .expect(401);
    expect(wrong.body).toEqual(unknown.body);
    const bad = await http.post('/auth/login').send({ email: 'not an email', password: '' }).expect(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['email', 'password']);
  });

  it('rejects a tampered cookie', async () => {
    const { agent } = await loginAsNewUser(running);
    const res = await agent.get('/auth/me').expect(200);
    expect(res.body.user).toBeDefined();
    const login = await request(running.app.getHttpServer())
      .post('/auth/login')
      .send({ email: res.body.user.email, password: 'a-long-enough-test-password' })
      .expect(200);
    const cookie = cookieOf(login)!;
    const tampered = cookie.slice(0, -3) + (cookie.endsWith('AAA') ? 'BBB' : 'AAA');
    await request(running.app.getHttpServer()).get('/auth/me').set('Cookie', tampered).expect(401);
    await request(running.app.getHttpServer()).get('/auth/me').set('Cookie', 'sid=s%3Anot-a-session.abc').expect(401);
    await request(running.app.getHttpServer()).get('/auth/me').set('Cookie', cookie).expect(200);
  });

  it('lists sessions, logs out one, then everywhere', async () => {
    const { agent, email, password } = await loginAsNewUser(running);
    const phone = request.agent(running.app.getHttpServer());
    await phone.post('/auth/login').set('User-Agent', 'phone').send({ email, password }).expect(200);
    const listed = (await agent.get('/auth/sessions').expect(200)).body;
    expect(listed).toHaveLength(2);
    expect(listed.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(listed.map((s: { device: string }) => s.device)).toContain('phone');
    expect(JSON.stringify(listed)).not.toMatch(/sid=/);
    const laptop = request.agent(running.app.getHttpServer());
    await laptop.post('/auth/login').send({ email, password }).expect(200);
    const logout = await laptop.post('/auth/logout').expect(204);
    // The browser drops the cookie too, instead of sending a dead session id with every request.
    expect(([] as string[]).concat(logout.headers['set-cookie'] ?? []).join()).toMatch(
      /^sid=;.*Expires=Thu, 01 Jan 1970/,
    );
    await laptop.get('/auth/me').expect(401);
    expect((await agent.post('/auth/logout-all').expect(200)).body).toEqual({ revoked: 2 });
    await agent.get('/auth/me').expect(401);
    await phone.get('/auth/me').expect(401);
  });

  it('keeps sessions across an app restart (they live in Redis)', async () => {
    const { agent } = await loginAsNewUser(running);
    const user = (await agent.get('/auth/me').expect(200)).body.user;
    await running.close();
    running = await startE2eApp(env);
    http = request(running.app.getHttpServer());
    const cookie = (agent as unknown as { jar: { getCookies(o: object): { toValueString(): string }[] } }).jar
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
      .map((c) => c.toValueString())
      .join('; ');
    const res = await request(running.app.getHttpServer()).get('/auth/me').set('Cookie', cookie).expect(200);
    expect(res.body.user).toEqual(user);
  });

  it('throttles login attempts per account', async () => {
    const email = `throttle-${Date.now()}@example.com`;
    await running.app.get(AuthService).createUser(email, 'T', 'a-long-enough-test-password');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await http.post('/auth/login').send({ email, password: 'wrong' })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // The right password is refused too while the account is blocked.
    await http.post('/auth/login').send({ email, password: 'a-long-enough-test-password' }).expect(429);
  });

  it('counts failed logins per account and address: an attacker elsewhere cannot lock the owner out', async () => {
    const password = 'a-long-enough-test-password';
    const email = `lockout-${Date.now()}@example.com`;
    await running.app.get(AuthService).createUser(email, 'T', password);
    const from = (ip: string, pw: string) =>
      http.post('/auth/login').set('X-Forwarded-For', ip).send({ email, password: pw });
    const attacker: number[] = [];
    for (let i = 0; i < 6; i++) attacker.push((await from('198.51.100.1', 'wrong')).status);
    expect(attacker).toEqual([401, 401, 401, 401, 401, 429]);
    const refused = await from('198.51.100.1', password).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The owner, from another address, is not locked out...
    await from('203.0.113.9', password).expect(200);
    // ...and successful logins never count toward a limit.
    for (let i = 0; i < 8; i++) await from('203.0.113.9', password).expect(200);
  });

  it('caps failed logins for one account from all addresses together', async () => {
    const email = `spray-${Date.now()}@example.com`;
    await running.app.get(AuthService).createUser(email, 'T', 'a-long-enough-test-password');
    // 10 addresses × 5 failures each = LOGIN_LIMIT_PER_ACCOUNT_ANY_IP (50).
    for (let a = 0; a < 10; a++)
      for (let i = 0; i < 5; i++)
        await http
          .post('/auth/login')
          .set('X-Forwarded-For', `192.0.2.${a}`)
          .send({ email, password: 'x' })
          .expect(401);
    const res = await http
      .post('/auth/login')
      .set('X-Forwarded-For', '192.0.2.200')
      .send({ email, password: 'a-long-enough-test-password' })
      .expect(429);
    expect(res.body.message).toMatch(/failed logins for this account/);
  });

  it("marks responses with a user's data private and not storable", async () => {
    const { agent, email, password } = await loginAsNewUser(running);
    for (const path of ['/auth/me', '/auth/sessions'])
      expect((await agent.get(path).expect(200)).headers['cache-control']).toBe('private, no-store');
    const login = await http.post('/auth/login').send({ email, password }).expect(200);
    expect(login.headers['cache-control']).toBe('private, no-store');
  });

  it('lets an admin session through the cache admin guard, not a normal one', async () => {
    const admin = await loginAsNewUser(running, ['admin']);
    const user = await loginAsNewUser(running);
    await admin.agent.get('/cache/stats').expect(200);
    await user.agent.get('/cache/stats').expect(403);
  });
});
