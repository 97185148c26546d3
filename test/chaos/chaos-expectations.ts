import { expect } from 'vitest';
import { BUS_DELIVERY_MS, statusCounts, type HealthView } from './chaos-checks.js';
import type { ExitRecord } from './chaos-cluster.js';
import type { Sample } from './chaos-traffic.js';

/** Generous bound ("never hangs"), not a timing assertion: a busy machine stays far inside it. */
export const WRITE_BOUND_MS = 15_000;

/**
 * The documented bound on L1 staleness while the bus is broken (bus.heartbeat x bus.missedBeats,
 * 1 s x 3), plus a beat and scheduling slack: an instance that cannot hear the bus stops serving
 * its L1 within it. The Redis freeze lasts longer, so an L1 trusted for the whole stall fails this.
 */
export const STALE_BOUND_MS = 3000 + 3000;

/** What one phase saw (chaos.spec.ts runs it), for the assertions below. */
export interface PhaseResult {
  samples: Sample[];
  healthSawFault: boolean;
  seenDuring: HealthView[];
  healthRecovered: boolean;
  seenAfter: HealthView[];
  /** Write on one instance, then read at once on the other, after recovery (both ways). */
  checks: {
    wrote: number;
    writeStatus: number;
    read?: number;
    readStatus: number;
    xCache?: string;
    freshAfterMs: number;
    diagnosis?: unknown;
  }[];
  phaseExits: ExitRecord[];
  metricsDuring: { l2Up?: number; busSubscribed?: number }[];
  metricsAfter: { l2Up?: number; busSubscribed?: number }[];
  /** HTTP cache hits per instance during the fault. */
  hitsDuring: number[];
  /** The instances' last output lines, for failure messages. */
  output: string;
}

/** The assertions every phase shares; each phase adds its own. */
export function expectCommon(name: string, r: PhaseResult): void {
  expect(r.phaseExits, `${name}: an app instance exited\n${r.output}`).toEqual([]);
  const cached = r.samples.filter((s) => s.kind === 'cached');
  const cached5xx = cached.filter((s) => s.status >= 500 || s.status === 0);
  expect(
    statusCounts(cached5xx),
    `${name}: 5xx on cached reads, e.g. ${JSON.stringify(cached5xx.slice(0, 3))}`,
  ).toEqual({});
  expect(r.samples.filter((s) => s.status === 0).length, `${name}: requests without an answer in 30 s`).toBe(0);
  const writes = r.samples.filter((s) => s.kind === 'write');
  expect(Math.max(...writes.map((s) => s.ms)), `${name}: slowest write (ms)`).toBeLessThan(WRITE_BOUND_MS);
  expect(r.healthSawFault, `${name}: /health during the fault: ${JSON.stringify(r.seenDuring.slice(-4))}`).toBe(true);
  expect(r.healthRecovered, `${name}: /health after recovery: ${JSON.stringify(r.seenAfter.slice(-4))}`).toBe(true);
  const stale = r.samples.filter((s) => s.stale);
  expect(
    Math.max(0, ...stale.map((s) => s.staleForMs ?? 0)),
    `${name}: longest a replaced value was still served (ms), ${stale.length} stale reads`,
  ).toBeLessThan(STALE_BOUND_MS);
  for (const c of r.checks) {
    expect(c.writeStatus, `${name}: write after recovery`).toBe(200);
    expect(c.readStatus, `${name}: read after recovery`).toBe(200);
    const fresh = c.read === c.wrote || c.freshAfterMs < BUS_DELIVERY_MS;
    expect(fresh, `${name}: a write on one instance is read on the other at once: ${JSON.stringify(c)}`).toBe(true);
  }
}

/** During a Redis fault the database is fine: writes and uncached reads succeed. */
export function expectDatabaseServes(name: string, r: PhaseResult): void {
  const down = { l2Up: 0, busSubscribed: 0 };
  expect(r.metricsDuring, `${name}: cache_l2_up and cache_bus_subscribed during the fault`).toEqual([down, down]);
  const up = { l2Up: 1, busSubscribed: 1 };
  expect(r.metricsAfter, `${name}: cache_l2_up and cache_bus_subscribed after recovery`).toEqual([up, up]);
  const failing = r.samples.filter((s) => s.kind !== 'cached' && s.status >= 500);
  expect(statusCounts(failing), `${name}: 5xx on writes or reads the database can serve`).toEqual({});
}

/** During a database fault: writes and uncached reads answer 503 with Retry-After (or 2xx), in bounded time. */
export function expectDatabase503(name: string, r: PhaseResult): void {
  const up = { l2Up: 1, busSubscribed: 1 };
  expect(r.metricsDuring, `${name}: the cache stays up while the database is down`).toEqual([up, up]);
  for (const [i, hits] of r.hitsDuring.entries()) {
    expect(hits, `${name}: cache_http_responses_total{result="hit"} rose on instance ${i + 1}`).toBeGreaterThan(0);
  }
  const failed = r.samples.filter((s) => s.kind !== 'cached' && (s.status < 200 || s.status >= 300));
  expect(failed.filter((s) => s.kind === 'write').length, `${name}: no write saw the fault`).toBeGreaterThan(0);
  expect(statusCounts(failed.filter((s) => s.status !== 503)), `${name}: failures other than 503`).toEqual({});
  expect(failed.filter((s) => s.retryAfter === undefined).length, `${name}: 503 without Retry-After`).toBe(0);
  expect(Math.max(...r.samples.map((s) => s.ms)), `${name}: slowest answer (ms)`).toBeLessThan(WRITE_BOUND_MS);
}
