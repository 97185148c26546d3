import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { SessionData } from 'express-session';
import { CACHE_PREFIX, CACHE_REDIS } from '../cache.internal-constants.js';
import { CacheConfigError } from '../errors/cache-config.error.js';
import type { RedisConnection } from '../redis/redis-connection.js';
import { generateSessionId, RedisSessionStore } from './redis-session.store.js';
import { CACHE_SESSION_OPTIONS, type CacheSessionOptions } from './session.options.js';

export interface SessionUser {
  id: string | number;
  roles?: string[];
  [key: string]: unknown;
}

/** What a session holds besides the cookie: its user and where/when it was used. */
export interface SessionRecord {
  user?: SessionUser;
  device?: string;
  createdAt?: number;
  lastSeenAt?: number;
  [key: string]: unknown;
}

export interface SessionSummary {
  /** A digest of the id (never the id itself, which is a credential). */
  id: string;
  device: string | null;
  createdAt: number | null;
  lastSeenAt: number | null;
  expiresAt: number;
  current: boolean;
}

/** Sessions without HTTP: create, read, update, destroy, extend, and "log out everywhere". */
@Injectable()
export class SessionService {
  readonly store: RedisSessionStore;

  constructor(
    @Inject(CACHE_REDIS) connection: RedisConnection | null,
    @Inject(CACHE_PREFIX) prefix: string,
    @Inject(CACHE_SESSION_OPTIONS) options: CacheSessionOptions,
  ) {
    if (!connection) throw new CacheConfigError('Sessions need the cache module to have Redis (redis: { url })');
    this.store = new RedisSessionStore(connection.client, `${prefix}:~sess`, { ttl: options.ttl });
  }

  async create(record: SessionRecord): Promise<string> {
    const sid = generateSessionId();
    const now = Date.now();
    await this.store.write(sid, {
      ...this.cookie(),
      createdAt: now,
      lastSeenAt: now,
      ...record,
    } as unknown as SessionData);
    return sid;
  }

  async get(sid: string): Promise<SessionRecord | undefined> {
    return (await this.store.read(sid)) as SessionRecord | undefined;
  }

  /** Merges `patch` into the session; false when it does not exist (any more). */
  async update(sid: string, patch: SessionRecord): Promise<boolean> {
    const current = await this.store.read(sid);
    if (!current) return false;
    await this.store.write(sid, { ...current, ...patch } as SessionData);
    return true;
  }

  destroy(sid: string): Promise<void> {
    return this.store.destroy(sid);
  }

  /** Restarts the sliding TTL without rewriting the data; false when the session is gone. */
  async extend(sid: string): Promise<boolean> {
    const current = await this.store.read(sid);
    if (!current) return false;
    // A stored cookie's `expires` is the old deadline: without it the store's TTL restarts.
    const restarted = { ...current, cookie: { ...current.cookie, expires: undefined } } as SessionData;
    await this.store.touch(sid, restarted);
    return true;
  }

  revokeAll(userId: string | number): Promise<number> {
    return this.store.revokeAll(userId);
  }

  /** The user's live sessions, newest first; O(sessions of that user). */
  async listSessions(userId: string | number, currentSid?: string): Promise<SessionSummary[]> {
    const live = await this.store.sessionsOf(userId);
    const out: SessionSummary[] = [];
    for (const { sid, expiresAt } of live) {
      const s = (await this.store.read(sid)) as SessionRecord | undefined;
      if (!s) continue;
      out.push({
        id: createHash('sha256').update(sid).digest('base64url').slice(0, 12),
        device: typeof s.device === 'string' ? s.device : null,
        createdAt: s.createdAt ?? null,
        lastSeenAt: s.lastSeenAt ?? null,
        expiresAt,
        current: sid === currentSid,
      });
    }
    return out.sort((a, b) => (b.lastSeenAt ?? 0) - (a.lastSeenAt ?? 0));
  }

  private cookie(): { cookie: { originalMaxAge: number; httpOnly: boolean; path: string } } {
    return { cookie: { originalMaxAge: this.store.ttl, httpOnly: true, path: '/' } };
  }
}
