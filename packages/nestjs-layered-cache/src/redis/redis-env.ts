import type { RedisModuleOptions, RedisNodeAddress } from './redis-options.interface.js';
import { CacheConfigError } from '../errors/cache-config.error.js';

/** Where Redis is, read from the environment: one of `url`, `sentinel` or `cluster`. */
export type RedisTopology = Pick<RedisModuleOptions, 'url' | 'sentinel' | 'cluster'>;

/**
 * Reads the Redis topology from environment variables, for `CacheModule.forRoot({ redis: … })`:
 *   REDIS_URL=redis://host:6379/0                     one server
 *   REDIS_SENTINELS=h1:26379,h2:26379 REDIS_SENTINEL_NAME=mymaster   Sentinel
 *   REDIS_CLUSTER_NODES=h1:7000,h2:7001               Cluster (seed nodes)
 * with REDIS_PASSWORD (servers), REDIS_SENTINEL_PASSWORD, REDIS_DB (Sentinel) and REDIS_TLS=true.
 * Returns undefined when none is set; throws naming the variable when one is wrong or two are set.
 */
export function redisOptionsFromEnv(
  variables: Readonly<Record<string, unknown>> = process.env,
): RedisTopology | undefined {
  // Only strings count (a validated config object may hold other fields of other types).
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (name.startsWith('REDIS_') && typeof value === 'string') env[name] = value;
  }
  const set = (name: string) => (env[name] ?? '') !== '';
  const chosen = ['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'].filter(set);
  if (chosen.length > 1) throw new CacheConfigError(`Set only one of ${chosen.join(', ')}: they are alternatives.`);
  const password = env.REDIS_PASSWORD || undefined;
  const tls = env.REDIS_TLS === 'true' ? { tls: true } : {};
  if (set('REDIS_CLUSTER_NODES')) {
    return { cluster: { nodes: addresses('REDIS_CLUSTER_NODES', env.REDIS_CLUSTER_NODES!), password, ...tls } };
  }
  if (set('REDIS_SENTINELS')) {
    const name = env.REDIS_SENTINEL_NAME;
    if (!name)
      throw new CacheConfigError(
        'REDIS_SENTINEL_NAME (the master name the sentinels monitor) is required with REDIS_SENTINELS.',
      );
    const db = env.REDIS_DB ? Number(env.REDIS_DB) : undefined;
    if (db !== undefined && !(Number.isInteger(db) && db >= 0)) {
      throw new CacheConfigError(`REDIS_DB must be a database number ≥ 0, got "${env.REDIS_DB}".`);
    }
    return {
      sentinel: {
        name,
        sentinels: addresses('REDIS_SENTINELS', env.REDIS_SENTINELS!),
        password,
        sentinelPassword: env.REDIS_SENTINEL_PASSWORD || undefined,
        db,
        ...tls,
      },
    };
  }
  if (set('REDIS_URL')) return { url: env.REDIS_URL };
  return undefined;
}

/** `host:port,host:port` → addresses; IPv6 hosts in brackets (`[::1]:6379`). */
function addresses(variable: string, list: string): RedisNodeAddress[] {
  return list.split(',').map((item) => {
    const match = /^\s*(\[[^\]]+\]|[^:\s]+):(\d{1,5})\s*$/.exec(item);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) {
      throw new CacheConfigError(`${variable} must be a comma-separated list of host:port, got "${item.trim()}".`);
    }
    return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
  });
}
