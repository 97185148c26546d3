import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { createRedisClient, type RedisClient, type RedisTopology } from 'nestjs-layered-cache';

const REDIS_TOPOLOGY = Symbol('REDIS_TOPOLOGY');

/**
 * The sample app's BullMQ connection, built like the cache's (one server, Sentinel or Cluster) with
 * a queue's settings. BullMQ never closes a connection it was handed, so this does, at shutdown.
 */
@Injectable()
export class QueueConnection implements OnApplicationShutdown {
  readonly client: RedisClient;
  /** BullMQ's key prefix; hash-tagged on a cluster so each queue's keys share one slot. */
  readonly prefix: (name: string) => string;

  constructor(@Inject(REDIS_TOPOLOGY) topology: RedisTopology) {
    this.client = createRedisClient(topology, 'queue');
    this.prefix = (name) => (topology.cluster ? `{${name}}` : name);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

@Module({})
export class QueueConnectionModule {
  static forRoot(topology: RedisTopology): DynamicModule {
    return {
      module: QueueConnectionModule,
      providers: [{ provide: REDIS_TOPOLOGY, useValue: topology }, QueueConnection],
      exports: [QueueConnection],
    };
  }
}
