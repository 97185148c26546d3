import { createHash } from 'node:crypto';
import {
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  ServiceUnavailableException,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { createRedisClient, type RedisClient, type RedisTopology } from 'nestjs-layered-cache';

/** Login attempts allowed per minute. */
export interface LoginLimits {
  /** Every attempt from one address. */
  perIp: number;
  /** Failed attempts for one account from one address. */
  perAccount: number;
  /** Failed attempts for one account from all addresses together. */
  perAccountAnyIp: number;
}

export const LOGIN_LIMITS = Symbol('LOGIN_LIMITS');
export const LOGIN_REDIS = Symbol('LOGIN_REDIS');
const WINDOW_MS = 60_000;

/**
 * Refuses (index of the full counter, its ms left) when a counter is at its limit; else counts the
 * attempt on all three. KEYS: ip, account+ip, account. ARGV: window, then the three limits.
 */
const ATTEMPT = `
for i = 1, 3 do
  local n = tonumber(redis.call('GET', KEYS[i]) or '0')
  if n >= tonumber(ARGV[i + 1]) then return { i, redis.call('PTTL', KEYS[i]) } end
end
for i = 1, 3 do
  if redis.call('INCR', KEYS[i]) == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
end
return { 0, 0 }
`;
/** Gives back a counted attempt (a login that succeeded is no failure). */
const REFUND = `
for i = 1, #KEYS do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
return 0
`;

type LimiterClient = RedisClient & {
  loginAttempt(...args: (string | number)[]): Promise<[number, number]>;
  loginRefund(...args: (string | number)[]): Promise<number>;
};

/**
 * Login throttling that an attacker cannot turn against the account's owner: failures count per
 * account *and address*, so guessing from one address does not lock the owner out elsewhere; a
 * looser cap per account from all addresses bounds a distributed guess; successes do not count.
 * The failure is counted before the password is checked (and given back on success), so a burst
 * of parallel guesses cannot slip past the limit. Counters live in Redis, across instances.
 */
@Injectable()
export class LoginLimiter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('LoginLimiter');
  private readonly client: LimiterClient;
  private readonly prefix: string;

  constructor(
    @Inject(LOGIN_LIMITS) private readonly limits: LoginLimits,
    @Inject(LOGIN_REDIS) redis: { topology: RedisTopology; prefix: string },
  ) {
    const client = createRedisClient(redis.topology, 'cache');
    client.defineCommand('loginAttempt', { numberOfKeys: 3, lua: ATTEMPT });
    client.defineCommand('loginRefund', { numberOfKeys: 2, lua: REFUND });
    client.on('error', () => undefined); // each failed call answers 503; ioredis reconnects by itself
    this.client = client as LimiterClient;
    this.prefix = `${redis.prefix}:~login:{login}`;
  }

  async onModuleInit(): Promise<void> {
    // Redis may be down at boot: logins then answer 503 until it is back, the app still starts.
    await this.client.connect().catch((error: Error) => this.logger.warn(`Redis not reachable yet: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }

  /** Counts an attempt, or throws 429 (with Retry-After) over a limit, 503 when Redis cannot answer. */
  async attempt(email: string, ip: string, setHeader: (name: string, value: string) => void): Promise<() => void> {
    const keys = this.keys(email, ip);
    const { perIp, perAccount, perAccountAnyIp } = this.limits;
    const [full, leftMs] = await this.call(() =>
      this.client.loginAttempt(keys.ip, keys.accountIp, keys.account, WINDOW_MS, perIp, perAccount, perAccountAnyIp),
    );
    if (full > 0) {
      setHeader('Retry-After', String(Math.max(1, Math.ceil(Number(leftMs) / 1000))));
      throw new HttpException(
        {
          statusCode: 429,
          error: 'Too Many Requests',
          message: full === 1 ? 'Too many login attempts from this address' : 'Too many failed logins for this account',
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    // Called once the password proved right: the reserved failure is given back.
    return () => {
      this.client.loginRefund(keys.accountIp, keys.account).catch((error: Error) => {
        this.logger.warn(`A successful login still counts as a failure: ${error.message}`);
      });
    };
  }

  private keys(email: string, ip: string) {
    const account = createHash('sha256').update(email.trim().toLowerCase()).digest('base64url').slice(0, 22);
    return {
      ip: `${this.prefix}:ip:${ip}`,
      accountIp: `${this.prefix}:account-ip:${account}:${ip}`,
      account: `${this.prefix}:account:${account}`,
    };
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      this.logger.warn(`Login limits unavailable: ${(error as Error).message}`);
      throw new ServiceUnavailableException('Logins are unavailable right now; try again shortly');
    }
  }
}
