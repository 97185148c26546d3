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
/** Sessions per SCAN page (and per MGET/DEL batch) in `all`, `ids`, `length` and `clear`. */
const SCAN_COUNT = 100;

/**
 * Settles `callback` when given (the promise then never rejects: nobody awaits it), else the
 * promise: both call styles work, as with connect-redis.
 */
function settle<T>(work: Promise<T>, callback?: Callback<T>): Promise<T> {
  if (!callback) return work;
  return work.then(
    (value) => {
      callback(null, value);
      return value;
    },
    (error: unknown) => {
      callback(error);
      return undefined as T;
    },
  );
}
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

  override get(sid: string, callback?: Callback<SessionData | null>): Promise<SessionData | null> {
    const work = VALID_SID.test(sid)
      ? this.redis.get(this.key(sid)).then((json) => (json ? (JSON.parse(json) as SessionData) : null))
      : Promise.resolve(null);
    return settle(work, callback);
  }

  /**
   * Stores the session for the life its cookie gives it (`expires`, else `maxAge`, else the store's
   * TTL); a session whose cookie has already expired is destroyed instead, as connect-redis does.
   */
  override set(sid: string, session: SessionData, callback?: Callback): Promise<void> {
    if (!VALID_SID.test(sid)) return settle(Promise.reject(new Error('malformed session id')), callback);
    const ttl = this.ttlOf(session);
    const work =
      ttl > 0
        ? this.redis
            .sessSet(this.keyPrefix, sid, JSON.stringify(session), ttl, Date.now(), this.uid(session))
            .then(() => undefined)
        : this.remove(sid);
    return settle(work, callback);
  }

  /** Extends the session's life without rewriting its data; an expired cookie ends it. */
  override touch(sid: string, session: SessionData, callback?: Callback): Promise<void> {
    if (!VALID_SID.test(sid)) return settle(Promise.resolve(), callback);
    const ttl = this.ttlOf(session);
    const work =
      ttl > 0
        ? this.redis.sessTouch(this.keyPrefix, sid, ttl, Date.now(), this.uid(session)).then(() => undefined)
        : this.remove(sid);
    return settle(work, callback);
  }

  override destroy(sid: string, callback?: Callback): Promise<void> {
    return settle(VALID_SID.test(sid) ? this.remove(sid) : Promise.resolve(), callback);
  }

  /** Every session as connect-redis returns them, `{ id, ...session }` (SCAN: admin tools, not request paths). */
  override all(callback?: Callback<(SessionData & { id: string })[]>): Promise<(SessionData & { id: string })[]> {
    const work = (async () => {
      const out: (SessionData & { id: string })[] = [];
      for await (const sids of this.pages()) {
        const values = await this.redis.mget(...sids.map((sid) => this.key(sid)));
        values.forEach((json, i) => json && out.push({ id: sids[i]!, ...(JSON.parse(json) as SessionData) }));
      }
      return out;
    })();
    return settle(work, callback);
  }

  /** Every live session id (SCAN). */
  ids(callback?: Callback<string[]>): Promise<string[]> {
    const work = (async () => {
      const out: string[] = [];
      for await (const sids of this.pages()) out.push(...sids);
      return out;
    })();
    return settle(work, callback);
  }

  override length(callback?: Callback<number>): Promise<number> {
    const work = (async () => {
      let count = 0;
      for await (const sids of this.pages()) count += sids.length;
      return count;
    })();
    return settle(work, callback);
  }

  /** Removes every session and user index of this store's namespace, one SCAN page at a time. */
  override clear(callback?: Callback): Promise<void> {
    const work = (async () => {
      for await (const keys of this.pages(true)) if (keys.length > 0) await this.redis.del(...keys);
    })();
    return settle(work, callback);
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
    return (await this.get(sid)) ?? undefined;
  }

  write(sid: string, session: SessionData): Promise<void> {
    return this.set(sid, session);
  }

  private key(sid: string): string {
    return `${this.keyPrefix}:${sid}`;
  }

  private uid(session: SessionData): string {
    const id = this.userIdOf(session);
    return id === undefined ? '' : String(id);
  }

  private async remove(sid: string): Promise<void> {
    const json = await this.redis.get(this.key(sid));
    const uid = json ? this.uid(JSON.parse(json) as SessionData) : '';
    await this.redis.sessDestroy(this.keyPrefix, sid, uid);
  }

  /**
   * Life left, ms, as connect-redis computes it: the cookie's `expires` (a Date, or the ISO string
   * of a JSON-shaped cookie) when it has one, else its `maxAge`, else the store's TTL. 0 or less:
   * already expired.
   */
  private ttlOf(session: SessionData): number {
    const cookie = session.cookie as { expires?: Date | string | null; maxAge?: number | null } | undefined;
    if (cookie?.expires) {
      const at = new Date(cookie.expires).getTime();
      if (!Number.isNaN(at)) return at - Date.now();
    }
    return typeof cookie?.maxAge === 'number' ? cookie.maxAge : this.ttl;
  }

  /** One SCAN page at a time: session ids, or with `fullKeys` every key (user indexes included). */
  private async *pages(fullKeys = false): AsyncGenerator<string[]> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(
        cursor,
        'MATCH',
        `${escapeGlob(this.keyPrefix)}:*`,
        'COUNT',
        SCAN_COUNT,
      );
      cursor = next;
      const page = fullKeys
        ? keys
        : keys.map((key) => key.slice(this.keyPrefix.length + 1)).filter((sid) => VALID_SID.test(sid));
      if (page.length > 0) yield page;
    } while (cursor !== '0');
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
