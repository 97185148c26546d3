import { setTimeout as sleep } from 'node:timers/promises';

/** What the loop asks, and what each kind of request may answer during a fault. */
export type RequestKind =
  /** GET /products/:id of products read before the faults and never written: the cache can serve them. */
  | 'cached'
  /** GET /products?search=<new each time>: never cached, needs the database. */
  | 'uncached'
  /** GET /products/:id of the product the loop writes: checked for stale answers. */
  | 'written'
  /** PATCH /products/:id of that product. */
  | 'write';

export interface Sample {
  kind: RequestKind;
  instance: string;
  /** 0: no answer within the client's timeout (a hang) or the connection failed. */
  status: number;
  ms: number;
  retryAfter?: string;
  xCache?: string;
  /** For `written` reads: older than a write that had answered 200 before this read was sent. */
  stale?: boolean;
  /** For stale reads: how long ago the value read was replaced (the first newer write answered 200). */
  staleForMs?: number;
}

export interface Endpoint {
  name: string;
  url: string;
  /** The admin routes' bearer token (for diagnostics). */
  token: string;
}

/** A request that takes longer than this is a hang: it is abandoned and recorded with status 0. */
export const HANG_MS = 30_000;
export const NAME_PREFIX = 'chaos-';

async function send(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; ms: number; headers?: Headers; body?: unknown }> {
  const started = performance.now();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(HANG_MS) });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.status, ms: performance.now() - started, headers: res.headers, body };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

export const writeSeqOf = (body: unknown): number | undefined => {
  const name = (body as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name.startsWith(NAME_PREFIX) ? Number(name.slice(NAME_PREFIX.length)) : undefined;
};

/**
 * The bounded read/write loop: per instance one reader of cached products and of the written
 * product, one reader of uncached lists, and one writer alternating between the instances. Every
 * loop waits for its answer before the next request, so at most 5 requests are in flight.
 */
export class ChaosTraffic {
  readonly samples: Sample[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private seq: number;
  /** The newest write that answered 200, and when. */
  private confirmed = { seq: 0, at: 0 };
  /** Every write that answered 200 (ascending seq): when a value stopped being the current one. */
  private readonly confirmations: { seq: number; at: number }[] = [];
  private uncached = 0;

  constructor(
    private readonly endpoints: Endpoint[],
    private readonly cachedIds: number[],
    private readonly writtenId: number,
    firstSeq: number,
  ) {
    this.seq = firstSeq;
  }

  /** The writer's next sequence number (a check outside the loop takes one too, so names stay ordered). */
  nextSeq(): number {
    return ++this.seq;
  }

  /** A write confirmed outside the loop (the recovery check) moves the stale-read baseline too. */
  confirm(seq: number): void {
    if (seq <= this.confirmed.seq) return;
    this.confirmed = { seq, at: performance.now() };
    this.confirmations.push(this.confirmed);
  }

  /** How long ago the value `seq` was replaced: the first confirmed write after it answered. */
  private replacedAgo(seq: number): number {
    const next = this.confirmations.find((c) => c.seq > seq);
    return next ? performance.now() - next.at : 0;
  }

  start(): void {
    this.running = true;
    this.loops = [
      ...this.endpoints.map((e) => this.readLoop(e)),
      ...this.endpoints.map((e) => this.uncachedLoop(e)),
      this.writeLoop(),
    ];
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Samples recorded since `from` (an index into `samples`). */
  since(from: number): Sample[] {
    return this.samples.slice(from);
  }

  private record(kind: RequestKind, e: Endpoint, r: Awaited<ReturnType<typeof send>>, extra: Partial<Sample> = {}) {
    this.samples.push({
      kind,
      instance: e.name,
      status: r.status,
      ms: r.ms,
      retryAfter: r.headers?.get('retry-after') ?? undefined,
      xCache: r.headers?.get('x-cache') ?? undefined,
      ...extra,
    });
  }

  private async readLoop(e: Endpoint): Promise<void> {
    for (let i = 0; this.running; i++) {
      const id = this.cachedIds[i % this.cachedIds.length];
      this.record('cached', e, await send(`${e.url}/products/${id}`));
      const baseline = this.confirmed;
      const r = await send(`${e.url}/products/${this.writtenId}`);
      const seq = r.status === 200 ? writeSeqOf(r.body) : undefined;
      const stale = seq !== undefined && seq < baseline.seq;
      this.record('written', e, r, stale ? { stale, staleForMs: this.replacedAgo(seq) } : { stale });
      await sleep(40);
    }
  }

  private async uncachedLoop(e: Endpoint): Promise<void> {
    while (this.running) {
      this.record('uncached', e, await send(`${e.url}/products?search=nothing-${++this.uncached}&pageSize=1`));
      await sleep(150);
    }
  }

  private async writeLoop(): Promise<void> {
    for (let i = 0; this.running; i++) {
      const e = this.endpoints[i % this.endpoints.length];
      const seq = this.nextSeq();
      const r = await send(`${e.url}/products/${this.writtenId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `${NAME_PREFIX}${seq}` }),
      });
      if (r.status === 200) this.confirm(seq);
      this.record('write', e, r);
      await sleep(150);
    }
  }
}

export { send };
