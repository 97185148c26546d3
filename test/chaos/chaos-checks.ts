import { setTimeout as sleep } from 'node:timers/promises';
import {
  HANG_MS,
  NAME_PREFIX,
  send,
  writeSeqOf,
  type ChaosTraffic,
  type Endpoint,
  type Sample,
} from './chaos-traffic.js';

/** What `/health` says, reduced to what the suite checks. */
export interface HealthView {
  status: number;
  overall?: string;
  database?: string;
  cache?: string;
}

export async function health(e: Endpoint): Promise<HealthView> {
  const r = await send(`${e.url}/health`);
  const body = r.body as { status?: string; details?: Record<string, { status?: string }> } | undefined;
  return {
    status: r.status,
    overall: body?.status,
    database: body?.details?.database?.status,
    cache: body?.details?.cache?.status,
  };
}

export const healthy = (h: HealthView) => h.status === 200 && h.overall === 'ok';
/** Redis (or the bus) down: the app still serves, so HTTP 200, and says it is degraded. */
export const cacheDegraded = (h: HealthView) => h.status === 200 && h.database === 'up' && h.cache === 'degraded';
/** The database does not answer: the instance cannot serve everything, so 503. */
export const databaseDown = (h: HealthView) => h.status === 503 && h.database === 'down';

/** Polls until `until` holds on every endpoint; returns false (never throws) when `timeoutMs` passes. */
export async function waitForHealth(
  endpoints: Endpoint[],
  until: (h: HealthView) => boolean,
  timeoutMs: number,
  seen: HealthView[] = [],
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const ok = new Set<string>();
  while (Date.now() < deadline) {
    for (const e of endpoints) {
      if (ok.has(e.name)) continue;
      const h = await health(e);
      seen.push(h);
      if (until(h)) ok.add(e.name);
    }
    if (ok.size === endpoints.length) return true;
    await sleep(200);
  }
  return false;
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(everyMs);
  }
  return false;
}

/** A generous bound on the bus delivery time on a busy machine (the contract's target is p99 < 5 ms). */
export const BUS_DELIVERY_MS = 1000;

/**
 * A write on `writer`, then at once a read on `reader`: the reader must answer the new value.
 * Returns what the reader answered, for the failure message.
 */
export async function crossInstanceRead(
  traffic: ChaosTraffic,
  productId: number,
  writer: Endpoint,
  reader: Endpoint,
): Promise<{
  wrote: number;
  writeStatus: number;
  read?: number;
  readStatus: number;
  xCache?: string;
  /** 0 when the first read was fresh; else how long until a read was. */
  freshAfterMs: number;
  diagnosis?: unknown;
}> {
  const seq = traffic.nextSeq();
  const w = await send(`${writer.url}/products/${productId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `${NAME_PREFIX}${seq}` }),
  });
  if (w.status === 200) traffic.confirm(seq);
  const r = await send(`${reader.url}/products/${productId}`);
  const read = writeSeqOf(r.body);
  // The contract lets another instance's L1 lag by the bus delivery time (consistency.md, item 2):
  // an immediate stale answer is recorded, and it must be gone within BUS_DELIVERY_MS.
  let freshAfterMs = 0;
  if (read !== seq) {
    const started = performance.now();
    await waitUntil(
      async () => writeSeqOf((await send(`${reader.url}/products/${productId}`)).body) === seq,
      BUS_DELIVERY_MS,
      10,
    );
    freshAfterMs = performance.now() - started;
  }
  // A stale answer comes with what both instances' caches said about Redis and the bus right after.
  const diagnosis =
    read === seq
      ? undefined
      : await Promise.all(
          [writer, reader].map(async (e) => {
            const stats = await send(`${e.url}/cache/stats`, { headers: { authorization: `Bearer ${e.token}` } });
            const body = stats.body as { l2?: unknown; bus?: unknown; pendingOverflows?: unknown } | undefined;
            return { instance: e.name, l2: body?.l2, bus: body?.bus };
          }),
        );
  return {
    freshAfterMs,
    diagnosis,
    wrote: seq,
    writeStatus: w.status,
    read,
    readStatus: r.status,
    xCache: r.headers?.get('x-cache') ?? undefined,
  };
}

export interface PhaseRow {
  phase: string;
  sent: number;
  non2xx: number;
  /** 5xx or no answer on reads the cache can serve. */
  cached5xx: number;
  /** Writes answered 503 (with and without Retry-After). */
  writes503: number;
  writes503NoRetryAfter: number;
  maxMs: number;
  maxWriteMs: number;
  /** No answer: `hung` within HANG_MS, `noAnswer` all (a refused connection to an exited instance too). */
  hung: number;
  noAnswer: number;
  staleReads: number;
  maxStaleMs: number;
  /** Recovery checks (write on one instance, read at once on the other) whose first read was stale. */
  staleAfterRecovery: number;
  exits: number;
}

export function summarize(phase: string, samples: Sample[], exits: number, staleAfterRecovery: number): PhaseRow {
  const writes = samples.filter((s) => s.kind === 'write');
  const w503 = writes.filter((s) => s.status === 503);
  const stale = samples.filter((s) => s.stale);
  return {
    phase,
    sent: samples.length,
    non2xx: samples.filter((s) => s.status < 200 || s.status >= 300).length,
    cached5xx: samples.filter((s) => s.kind === 'cached' && (s.status >= 500 || s.status === 0)).length,
    writes503: w503.length,
    writes503NoRetryAfter: w503.filter((s) => !s.retryAfter).length,
    maxMs: Math.round(Math.max(0, ...samples.map((s) => s.ms))),
    maxWriteMs: Math.round(Math.max(0, ...writes.map((s) => s.ms))),
    hung: samples.filter((s) => s.status === 0 && s.ms >= HANG_MS - 1000).length,
    noAnswer: samples.filter((s) => s.status === 0).length,
    staleReads: stale.length,
    maxStaleMs: Math.round(Math.max(0, ...stale.map((s) => s.staleForMs ?? 0))),
    staleAfterRecovery,
    exits,
  };
}

export function formatTable(rows: PhaseRow[]): string {
  const columns: (keyof PhaseRow)[] = [
    'phase',
    'sent',
    'non2xx',
    'cached5xx',
    'writes503',
    'writes503NoRetryAfter',
    'maxMs',
    'maxWriteMs',
    'hung',
    'noAnswer',
    'staleReads',
    'maxStaleMs',
    'staleAfterRecovery',
    'exits',
  ];
  const cells = [columns.map(String), ...rows.map((r) => columns.map((c) => String(r[c])))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')).join('\n');
}

/** Statuses of a list of samples, counted, for failure messages: `{ "200": 12, "503": 3 }`. */
export function statusCounts(samples: Sample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of samples) counts[s.status] = (counts[s.status] ?? 0) + 1;
  return counts;
}

/** The sum of a Prometheus metric's samples on one instance whose labels contain `labels` (e.g. `result="hit"`). */
export async function metric(e: Endpoint, name: string, labels = ''): Promise<number | undefined> {
  const r = await send(`${e.url}/metrics`);
  if (r.status !== 200 || typeof r.body !== 'string') return undefined;
  let sum: number | undefined;
  for (const line of r.body.split('\n')) {
    const match = /^([a-zA-Z0-9_:]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name || !(match[2] ?? '').includes(labels)) continue;
    sum = (sum ?? 0) + Number(match[3]);
  }
  return sum;
}

/** The gauges the Failure modes table names, as /metrics shows them. */
export interface Gauges {
  l2Up?: number;
  busSubscribed?: number;
}

const gauges = async (e: Endpoint): Promise<Gauges> => ({
  l2Up: await metric(e, 'cache_l2_up'),
  busSubscribed: await metric(e, 'cache_bus_subscribed'),
});

/**
 * Polls until every instance's gauges equal `expected` (they follow a fault within the bus
 * staleness bound, not at once); returns what was seen last, for the assertion.
 */
export async function gaugesReach(endpoints: Endpoint[], expected: Gauges, timeoutMs: number): Promise<Gauges[]> {
  let seen: Gauges[] = [];
  await waitUntil(async () => {
    seen = await Promise.all(endpoints.map(gauges));
    return seen.every((g) => g.l2Up === expected.l2Up && g.busSubscribed === expected.busSubscribed);
  }, timeoutMs);
  return seen;
}
