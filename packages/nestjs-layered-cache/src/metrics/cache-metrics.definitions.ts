import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';

/** Buckets around the latencies a cache sees: 50 µs (a fast Redis call) to 1 s (a slow loader). */
const SECONDS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** Every metric the module exports; label values are bounded (key groups and route names, never keys). */
export const METRICS = {
  requests: 'cache_requests_total',
  operationSeconds: 'cache_operation_duration_seconds',
  sets: 'cache_sets_total',
  setBytes: 'cache_set_bytes_total',
  errors: 'cache_errors_total',
  invalidations: 'cache_invalidations_total',
  fillsRefused: 'cache_fills_refused_total',
  busMessages: 'cache_bus_messages_total',
  busLagSeconds: 'cache_bus_lag_seconds',
  http: 'cache_http_responses_total',
  l1Entries: 'cache_l1_entries',
  l1Bytes: 'cache_l1_bytes',
  l1MaxBytes: 'cache_l1_max_bytes',
  l1Evictions: 'cache_l1_evictions',
  l2Up: 'cache_l2_up',
  l2CircuitOpen: 'cache_l2_circuit_open',
  l2SoftTimeouts: 'cache_l2_soft_timeouts_total',
  failSafe: 'cache_fail_safe_total',
  busSubscribed: 'cache_bus_subscribed',
} as const;

export const metricProviders = [
  makeCounterProvider({
    name: METRICS.requests,
    help: 'Cache reads by layer that answered (l1, l2, none) and result (hit, stale, miss)',
    labelNames: ['layer', 'result', 'group'],
  }),
  makeHistogramProvider({
    name: METRICS.operationSeconds,
    help: 'Duration of Redis operations (layer l2) and loader calls (layer loader)',
    labelNames: ['layer', 'operation'],
    buckets: SECONDS,
  }),
  makeCounterProvider({ name: METRICS.sets, help: 'Entries stored', labelNames: ['layer', 'group'] }),
  makeCounterProvider({ name: METRICS.setBytes, help: 'Serialized bytes stored', labelNames: ['group'] }),
  makeCounterProvider({
    name: METRICS.errors,
    help: 'Cache operations that failed and failed open',
    labelNames: ['layer', 'operation'],
  }),
  makeCounterProvider({
    name: METRICS.invalidations,
    help: 'Invalidations by kind (key, tag, pattern, namespace) and source (api, subscriber, decorator, http, admin)',
    labelNames: ['kind', 'source'],
  }),
  makeCounterProvider({
    name: METRICS.fillsRefused,
    help: 'Loaded values not stored because something they depend on changed meanwhile',
    labelNames: ['group'],
  }),
  makeCounterProvider({ name: METRICS.busMessages, help: 'Invalidation messages from other instances applied' }),
  makeHistogramProvider({
    name: METRICS.busLagSeconds,
    help: 'Time from an invalidation on another instance to its arrival here (includes clock skew across hosts)',
    buckets: SECONDS,
  }),
  makeCounterProvider({
    name: METRICS.http,
    help: 'HTTP cache outcomes by route (Controller.method) and result (hit, miss, stale, bypass, not-modified)',
    labelNames: ['route', 'result'],
  }),
  makeGaugeProvider({ name: METRICS.l1Entries, help: 'Entries in the in-process cache' }),
  makeGaugeProvider({ name: METRICS.l1Bytes, help: 'Bytes held by the in-process cache' }),
  makeGaugeProvider({ name: METRICS.l1MaxBytes, help: 'Byte limit of the in-process cache' }),
  makeCounterProvider({ name: `${METRICS.l1Evictions}_total`, help: 'Entries evicted from L1 by its limits' }),
  makeGaugeProvider({ name: METRICS.l2Up, help: '1 while Redis answers, 0 while its operations fail' }),
  makeGaugeProvider({
    name: METRICS.l2CircuitOpen,
    help: '1 while the circuit breaker skips Redis (open or probing), 0 when closed',
  }),
  makeCounterProvider({
    name: METRICS.l2SoftTimeouts,
    help: 'Redis reads and fill steps slower than the soft timeout, served as misses',
  }),
  makeCounterProvider({
    name: METRICS.failSafe,
    help: 'Answers given by an expired entry because its loader failed or was backing off (fail-safe)',
  }),
  makeGaugeProvider({
    name: METRICS.busSubscribed,
    help: '1 while the invalidation bus is subscribed (L1 trusted), 0 otherwise',
  }),
];
