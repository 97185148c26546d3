import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

describe('circuit breaker', () => {
  it('opens after threshold failures within the window, probes after the cooldown, closes on success', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ threshold: 3, window: 1000, cooldown: 500 }, () => now);
    breaker.failure();
    now = 600;
    breaker.failure();
    now = 1200; // the first failure left the window
    breaker.failure();
    expect(breaker.state).toBe('closed');
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.allow()).toBe(false);
    now = 1800;
    expect(breaker.allow()).toBe(true); // the probe
    expect(breaker.state).toBe('half-open');
    expect(breaker.allow()).toBe(false); // one probe at a time
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.allow()).toBe(true);
    expect(breaker.opens).toBe(1);
  });

  it('reopens when the probe fails, and reset() closes it at once', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ threshold: 1, window: 1000, cooldown: 100 }, () => now);
    breaker.failure();
    now = 150;
    expect(breaker.allow()).toBe(true);
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.opens).toBe(2);
    breaker.reset();
    expect(breaker.allow()).toBe(true);
  });
});
