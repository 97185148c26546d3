/** What instances tell each other: changed keys and bumped dependencies; never values. */
export interface BusMessage {
  /** Full Redis keys of entries that changed (set, delete, pattern removal). */
  keys?: readonly string[];
  /** Dependencies that were bumped: `t:<tag>`, `n:<namespace>`. */
  deps?: readonly string[];
  /** Sender's clock (epoch ms) when the message was built: received messages carry it for lag metrics. */
  sentAt?: number;
}

interface WireMessage {
  /** Sender instance id, so an instance can ignore its own messages. */
  i: string;
  k?: string[];
  d?: string[];
  /** Epoch ms at the sender. */
  t?: number;
  /** A heartbeat's sequence number (see BusHeartbeat); such a message carries nothing else. */
  b?: number;
}

export function encodeBusMessage(sender: string, message: BusMessage): string {
  const wire: WireMessage = { i: sender, t: Date.now() };
  if (message.keys?.length) wire.k = [...message.keys];
  if (message.deps?.length) wire.d = [...message.deps];
  return JSON.stringify(wire);
}

const isStrings = (v: unknown): v is string[] | undefined =>
  v === undefined || (Array.isArray(v) && v.every((s) => typeof s === 'string'));

/** A heartbeat on the channel: only its sender acts on it. */
export function encodeBeat(sender: string, seq: number): string {
  return JSON.stringify({ i: sender, b: seq } satisfies WireMessage);
}

/** The decoded message and its sender (and beat number for a heartbeat), or undefined for anything malformed. */
export function decodeBusMessage(raw: string): { sender: string; message: BusMessage; beat?: number } | undefined {
  let wire: Partial<WireMessage>;
  try {
    wire = JSON.parse(raw) as Partial<WireMessage>;
  } catch {
    return undefined;
  }
  if (typeof wire !== 'object' || wire === null || typeof wire.i !== 'string') return undefined;
  if (!isStrings(wire.k) || !isStrings(wire.d)) return undefined;
  const sentAt = typeof wire.t === 'number' && Number.isFinite(wire.t) ? wire.t : undefined;
  const beat = Number.isSafeInteger(wire.b) ? wire.b : undefined;
  return { sender: wire.i, message: { keys: wire.k, deps: wire.d, sentAt }, ...(beat !== undefined ? { beat } : {}) };
}
