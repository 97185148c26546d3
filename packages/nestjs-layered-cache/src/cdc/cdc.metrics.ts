import type { CdcStatus } from './cdc-options.interface.js';

const sources = new Set<() => CdcStatus>();

/**
 * Gauges in prom-client's default registry, read at scrape time. Loaded only when asked for, so
 * the CDC integration does not need prom-client. Several apps in one process (tests) share them:
 * the reading instance (leader) wins.
 */
export async function registerCdcMetrics(status: () => CdcStatus): Promise<() => void> {
  const { Gauge, register } = await import('prom-client');
  sources.add(status);
  const gauge = (name: string, help: string, read: (s: CdcStatus) => number | null) => {
    if (register.getSingleMetric(name)) return;
    new Gauge({
      name,
      help,
      labelNames: ['slot'],
      collect() {
        const all = [...sources].map((s) => s());
        const s = all.find((x) => x.state === 'leader') ?? all[0];
        const value = s && read(s);
        if (s && value !== null && value !== undefined) this.set({ slot: s.slot }, value);
      },
    });
  };
  gauge('cache_cdc_leader', '1 when this instance reads the replication slot', (s) => (s.state === 'leader' ? 1 : 0));
  gauge('cache_cdc_enabled', '0 when the server cannot do logical replication (see logs)', (s) =>
    s.state === 'disabled' ? 0 : 1,
  );
  gauge('cache_cdc_slot_lag_bytes', 'WAL bytes the slot has not confirmed (kept on the server)', (s) => s.lagBytes);
  gauge('cache_cdc_slot_unread_seconds', 'Seconds since any instance read the slot', (s) =>
    s.unreadMs === null ? null : s.unreadMs / 1000,
  );
  gauge('cache_cdc_slot_stuck', '1 when the slot is unread for longer than stuckAfterMs: alert', (s) =>
    s.stuck ? 1 : 0,
  );
  gauge(
    'cache_cdc_transactions_applied',
    'Transactions whose invalidations this instance applied',
    (s) => s.transactions,
  );
  gauge('cache_cdc_changes_applied', 'Row changes whose invalidations this instance applied', (s) => s.changes);
  gauge('cache_cdc_last_delay_seconds', 'Commit to invalidation applied, last transaction', (s) =>
    s.lastDelayMs === null ? null : s.lastDelayMs / 1000,
  );
  gauge('cache_cdc_errors', 'Stream failures (each re-delivers from the slot)', (s) => s.errors);
  return () => sources.delete(status);
}
