import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getToken, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { CacheService } from '../cache.service.js';
import type { CacheRequestAnswer } from '../events/cache-events.interface.js';
import { onScrape } from './on-scrape.js';

type Status = CacheRequestAnswer<'cdc:status'>;

/** Each gauge (label `slot`) and how it reads the status; null leaves the gauge as it was. */
const CDC_GAUGES: readonly { name: string; help: string; read: (s: Status) => number | null }[] = [
  {
    name: 'cache_cdc_leader',
    help: '1 when this instance reads the replication slot',
    read: (s) => (s.state === 'leader' ? 1 : 0),
  },
  {
    name: 'cache_cdc_enabled',
    help: '0 when the server cannot do logical replication (see logs)',
    read: (s) => (s.state === 'disabled' ? 0 : 1),
  },
  {
    name: 'cache_cdc_slot_lag_bytes',
    help: 'WAL bytes the slot has not confirmed (kept on the server)',
    read: (s) => s.lagBytes,
  },
  {
    name: 'cache_cdc_slot_unread_seconds',
    help: 'Seconds since any instance read the slot',
    read: (s) => (s.unreadMs === null ? null : s.unreadMs / 1000),
  },
  {
    name: 'cache_cdc_slot_stuck',
    help: '1 when the slot is unread for longer than stuckAfterMs: alert',
    read: (s) => (s.stuck ? 1 : 0),
  },
  {
    name: 'cache_cdc_transactions_applied',
    help: 'Transactions whose invalidations this instance applied',
    read: (s) => s.transactions,
  },
  {
    name: 'cache_cdc_changes_applied',
    help: 'Row changes whose invalidations this instance applied',
    read: (s) => s.changes,
  },
  {
    name: 'cache_cdc_last_delay_seconds',
    help: 'Commit to invalidation applied, last transaction',
    read: (s) => (s.lastDelayMs === null ? null : s.lastDelayMs / 1000),
  },
  { name: 'cache_cdc_errors', help: 'Stream failures (each re-delivers from the slot)', read: (s) => s.errors },
];

export const cdcMetricProviders = CDC_GAUGES.map(({ name, help }) =>
  makeGaugeProvider({ name, help, labelNames: ['slot'] }),
);

/**
 * The CDC gauges ask `cdc:status` (answered by CdcInvalidationService) when Prometheus scrapes;
 * without CDC nobody answers and they stay empty. Imports nothing from cdc/: the request's type is
 * the one cdc merges into CacheEventMap. Several answers (apps sharing the cache module): the
 * instance reading the slot wins.
 */
@Injectable()
export class CdcMetrics implements OnModuleInit {
  constructor(
    @Inject(CacheService) private readonly cache: CacheService,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // prom-client starts the gauges' collects together: they share one request.
    let asking: Promise<Status | undefined> | undefined;
    const status = () =>
      (asking ??= this.cache
        .request('cdc:status')
        .then((all) => all.find((s) => s.state === 'leader') ?? all[0])
        .finally(() => (asking = undefined)));
    for (const { name, read } of CDC_GAUGES) {
      const gauge = this.moduleRef.get<Gauge>(getToken(name));
      onScrape(gauge, async () => {
        const s = await status();
        const value = s && read(s);
        if (s && value !== null && value !== undefined) gauge.set({ slot: s.slot }, value);
      });
    }
  }
}
