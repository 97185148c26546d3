import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis/redis-client.factory.js';
import { Store, type SessionData } from 'express-session';
import {
  SESSION_DESTROY_SCRIPT,
  SESSION_REVOKE_ALL_SCRIPT,
  SESSION_SET_SCRIPT,
  SESSION_TOUCH_SCRIPT,
} from './session.scripts.js';

/** Session ids we issue: 24 random bytes (192 bits) from the CSPRNG, base64url. */
export const generateSessionId = (): string => randomBytes(24).toString('base64url');
/** Anything else never reaches Redis as a key. */
const VALID_SID = /^[A-Za-z0-9_-]{22,128}$/;

type Callback<T = void> = (error?: unknown, value?: T) => void;
type Scripts = RedisClient & Record<`sess${string}`, (...args: (string | number)[]) => Promise<unknown>>;

export interface RedisSessionStoreOptions {
  /** Sliding lifetime, ms. Default 2 h. */
  ttl?: number;
  /** Which user a session belongs to (for revokeAll/listSessions). Default `session.user.id`. */
  userIdOf?: (session: SessionData) => string | number | undefined;
}

/**
 * An express-session `Store` on the cache module's ioredis client, in its own namespace
 * (`<prefix>:~sess:<sid>`), with a sliding TTL and a per-user index (a sorted set of session ids
 * by expiry, trimmed on every write) so "log out everywhere" costs O(sessions of that user).
 * `@fastify/session` accepts it too.
 */
export class RedisSessionStore extends Store {
  readonly ttl: number;
  private readonly userIdOf: (session: SessionData) => string | number | undefined;
  private readonly redis: Scripts;

  constructor(
    redis: RedisClient,
    /** `<prefix>:~sess` */
    readonly keyPrefix: string,
    options: RedisSessionStoreOptions = {},
  ) {
    super();
    this.ttl = options.ttl ?? 2 * 3_600_000;
    this.userIdOf = options.userIdOf ?? ((s) => (s as { user?: { id?: string | number } }).user?.id);
    const scripts = {
      sessSet: SESSION_SET_SCRIPT,
      sessTouch: SESSION_TOUCH_SCRIPT,
      sessDestroy: SESSION_DESTROY_SCRIPT,
      sessRevokeAll: SESSION_REVOKE_ALL_SCRIPT,
    };
    for (const [name, lua] of Object.entries(scripts)) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 1, lua });
    }
    this.redis = redis as Scripts;
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    if (!VALID_SID.test(sid)) return callback(null, null);
    this.redis.get(this.key(sid)).then(
      (json) => callback(null, json ? (JSON.parse(json) as SessionData) : null),
      (error: unknown) => callback(error),
    );
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    if (!VALID_SID.test(sid)) return callback?.(new Error('malformed session id'));
    this.redis
      .sessSet(this.keyPrefix, sid, JSON.stringify(session), this.ttlOf(session), Date.now(), this.uid(session))
      .then(
        () => callback?.(),
        (error: unknown) => callback?.(error),
      );
  }

  /** Extends the session's life without rewriting its data. */
  override touch(sid: string, session: SessionData, callback?: Callback): void {
    if (!VALID_SID.test(sid)) return callback?.();
    this.redis.sessTouch(this.keyPrefix, sid, this.ttlOf(session), Date.now(), this.uid(session)).then(
      () => callback?.(),
      (error: unknown) => callback?.(error),
    );
  }

  override destroy(sid: string, callback?: Callback): void {
    if (!VALID_SID.test(sid)) return callback?.();
    this.redis
      .get(this.key(sid))
      .then((json) => {
        const uid = json ? this.uid(JSON.parse(json) as SessionData) : '';
        return this.redis.sessDestroy(this.keyPrefix, sid, uid);
      })
      .then(
        () => callback?.(),
        (error: unknown) => callback?.(error),
      );
  }

  /** Every session (SCAN: for admin tools, not for request paths). */
  override all(callback: Callback<Record<string, SessionData>>): void {
    this.scan()
      .then(async (sids) => {
        const out: Record<string, SessionData> = {};
        for (const sid of sids) {
          const json = await this.redis.get(this.key(sid));
          if (json) out[sid] = JSON.parse(json) as SessionData;
        }
        callback(null, out);
      })
      .catch((error: unknown) => callback(error));
  }

  override length(callback: Callback<number>): void {
    this.scan().then(
      (sids) => callback(null, sids.length),
      (error: unknown) => callback(error),
    );
  }

  override clear(callback?: Callback): void {
    this.scan(true)
      .then(async (keys) => {
        for (let i = 0; i < keys.length; i += 500) await this.redis.del(...keys.slice(i, i + 500));
        callback?.();
      })
      .catch((error: unknown) => callback?.(error));
  }

  /** Removes every session of the user; returns how many. */
  async revokeAll(userId: string | number): Promise<number> {
    return Number(await this.redis.sessRevokeAll(this.keyPrefix, String(userId)));
  }

  /** The user's live session ids with their expiry (ms). */
  async sessionsOf(userId: string | number): Promise<{ sid: string; expiresAt: number }[]> {
    const flat = await this.redis.zrangebyscore(`${this.keyPrefix}:user:${userId}`, Date.now(), '+inf', 'WITHSCORES');
    const out: { sid: string; expiresAt: number }[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ sid: flat[i]!, expiresAt: Number(flat[i + 1]) });
    return out;
  }

  async read(sid: string): Promise<SessionData | undefined> {
    return new Promise((resolve, reject) =>
      this.get(sid, (error, s) => (error ? reject(error as Error) : resolve(s ?? undefined))),
    );
  }

  async write(sid: string, session: SessionData): Promise<void> {
    return new Promise((resolve, reject) =>
      this.set(sid, session, (error) => (error ? reject(error as Error) : resolve())),
    );
  }

  private key(sid: string): string {
    return `${this.keyPrefix}:${sid}`;
  }

  private uid(session: SessionData): string {
    const id = this.userIdOf(session);
    return id === undefined ? '' : String(id);
  }

  /** The cookie's own maxAge when it has one, else the store's TTL. */
  private ttlOf(session: SessionData): number {
    const maxAge = session.cookie?.maxAge;
    return typeof maxAge === 'number' && maxAge > 0 ? maxAge : this.ttl;
  }

  private async scan(fullKeys = false): Promise<string[]> {
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.keyPrefix}:*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const sid = key.slice(this.keyPrefix.length + 1);
        if (fullKeys) out.push(key);
        else if (VALID_SID.test(sid)) out.push(sid);
      }
    } while (cursor !== '0');
    return out;
  }
}
