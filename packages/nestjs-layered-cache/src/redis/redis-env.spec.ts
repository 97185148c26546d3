import { describe, expect, it } from 'vitest';
import { redisOptionsFromEnv } from './redis-env.js';

describe('redisOptionsFromEnv', () => {
  it('reads one server, Sentinel or Cluster, and nothing when none is set', () => {
    expect(redisOptionsFromEnv({})).toBeUndefined();
    expect(redisOptionsFromEnv({ REDIS_URL: 'redis://cache:6379/2' })).toEqual({ url: 'redis://cache:6379/2' });
    expect(
      redisOptionsFromEnv({
        REDIS_SENTINELS: 's1:26379, [::1]:26380',
        REDIS_SENTINEL_NAME: 'main',
        REDIS_PASSWORD: 'pw',
        REDIS_DB: '3',
        REDIS_TLS: 'true',
      }),
    ).toEqual({
      sentinel: {
        name: 'main',
        sentinels: [
          { host: 's1', port: 26379 },
          { host: '::1', port: 26380 },
        ],
        password: 'pw',
        sentinelPassword: undefined,
        db: 3,
        tls: true,
      },
    });
    expect(redisOptionsFromEnv({ REDIS_CLUSTER_NODES: 'n1:7000,n2:7001', PORT: 3000 })).toEqual({
      cluster: {
        nodes: [
          { host: 'n1', port: 7000 },
          { host: 'n2', port: 7001 },
        ],
        password: undefined,
      },
    });
  });

  it('names the variable that is wrong', () => {
    expect(() => redisOptionsFromEnv({ REDIS_URL: 'redis://a', REDIS_CLUSTER_NODES: 'n:1' })).toThrow(
      /only one of REDIS_URL, REDIS_CLUSTER_NODES/,
    );
    expect(() => redisOptionsFromEnv({ REDIS_SENTINELS: 's:26379' })).toThrow(/REDIS_SENTINEL_NAME/);
    expect(() => redisOptionsFromEnv({ REDIS_CLUSTER_NODES: 'n1:7000,n2' })).toThrow(
      /REDIS_CLUSTER_NODES must be a comma-separated list of host:port, got "n2"/,
    );
    expect(() => redisOptionsFromEnv({ REDIS_CLUSTER_NODES: 'n1:70000' })).toThrow(/got "n1:70000"/);
    expect(() => redisOptionsFromEnv({ REDIS_SENTINELS: 's:1', REDIS_SENTINEL_NAME: 'm', REDIS_DB: 'x' })).toThrow(
      /REDIS_DB/,
    );
  });
});
