import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BusHeartbeat } from './bus-heartbeat.js';

describe('BusHeartbeat', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  function beating(send: (seq: number) => Promise<unknown>) {
    const silences: number[] = [];
    const beat = new BusHeartbeat(
      100,
      3,
      send,
      () => true,
      () => silences.push(Date.now()),
    );
    beat.reset();
    beat.start();
    return { beat, silences };
  }

  it('counts a failed or timed-out publish as a missed beat, not as heard', async () => {
    const { beat, silences } = beating(() => Promise.reject(new Error('Command timed out')));
    await vi.advanceTimersByTimeAsync(300);
    expect(beat.fresh(Date.now())).toBe(true); // within the bound: 3 beats × 100 ms
    await vi.advanceTimersByTimeAsync(1);
    expect(beat.fresh(Date.now())).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(silences).toHaveLength(1);
    beat.stop();
  });

  it('is proven by beats heard back, up to the send time of the newest one', async () => {
    let heard: ((seq: number) => void) | undefined;
    const { beat, silences } = beating(async (seq) => heard?.(seq));
    heard = (seq) => beat.heard(seq);
    await vi.advanceTimersByTimeAsync(2000);
    expect(beat.fresh(Date.now())).toBe(true);
    expect(silences).toEqual([]);

    heard = undefined; // published, never delivered (a stalled subscription)
    await vi.advanceTimersByTimeAsync(301);
    expect(beat.fresh(Date.now())).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(silences).toHaveLength(1);
    expect(beat.missed).toBe(3);
    beat.stop();
  });
});
