import type pg from 'pg';
import { register } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { CdcInvalidationModule, type CdcAppliedEvent } from '../../src/cdc/index.js';
import { CacheMetricsModule } from '../../src/metrics/index.js';
import { uniquePrefix } from '../helpers/cache-instance.js';
import {
  createCdcApp,
  dropSlotAndPublication,
  slotActive,
  sqlClient,
  walLevel,
  type CdcApp,
} from '../helpers/cdc-app.js';

const level = await walLevel();
const skip = level !== 'logical' && process.env.TEST_DATABASE_URL !== undefined;

const WAIT = { timeout: 15_000, interval: 25 };

describe.skipIf(skip)("CDC on the cache module's events, and its metrics through CacheMetricsModule", () => {
  const slot = `nlc_cdc_mx_${inject('runId')}_${Math.random().toString(36).slice(2, 8)}`;
  let sql: pg.Client;
  let app: CdcApp | undefined;

  beforeAll(async () => {
    sql = await sqlClient();
  });
  afterAll(async () => {
    await app?.close();
    await dropSlotAndPublication(sql, slot);
    await sql.end();
  });

  it('announces applied batches as `cdc:applied` and shows the cache_cdc_* gauges at scrape time', async () => {
    app = await createCdcApp(slot, uniquePrefix('cdc-mx'), undefined, {}, [
      CacheMetricsModule.forRoot({ defaultMetrics: false }),
    ]);
    await vi.waitFor(async () => expect(await slotActive(sql, slot)).toBe(true), WAIT);
    const applied: CdcAppliedEvent[] = [];
    app.cache.on('cdc:applied', () => {
      throw new Error('a broken listener');
    });
    app.cache.on('cdc:applied', (e) => applied.push(e));

    await sql.query(`INSERT INTO test_widgets (name, group_id) VALUES ('metrics', 7)`);
    await vi.waitFor(() => expect(applied.length).toBeGreaterThan(0), WAIT);
    // Other test files may write to the same tables meanwhile: at least this transaction.
    expect(applied[0]!.slot).toBe(slot);
    expect(applied[0]!.transactions).toBeGreaterThan(0);
    expect(applied[0]!.changes).toBeGreaterThan(0);
    expect(applied[0]!.tags).toBeGreaterThan(0);
    // The throwing listener was isolated: the batch was applied and counted all the same.
    expect(app.cdc.status().transactions).toBeGreaterThan(0);

    const text = await register.metrics();
    const gauge = (name: string) => new RegExp(`^${name}\\{slot="${slot}"\\} (\\S+)$`, 'm').exec(text)?.[1];
    expect(gauge('cache_cdc_leader')).toBe('1');
    expect(gauge('cache_cdc_enabled')).toBe('1');
    expect(gauge('cache_cdc_slot_stuck')).toBe('0');
    expect(gauge('cache_cdc_errors')).toBe('0');
    expect(Number(gauge('cache_cdc_transactions_applied'))).toBeGreaterThan(0);
    expect(Number(gauge('cache_cdc_changes_applied'))).toBeGreaterThan(0);
    expect(text).toMatch(/^# TYPE cache_cdc_slot_lag_bytes gauge$/m);
  });

  it('refuses the old `metrics` option, naming it', () => {
    expect(() => CdcInvalidationModule.forRoot({ metrics: true } as never)).toThrow(/`metrics` is gone/);
  });
});
