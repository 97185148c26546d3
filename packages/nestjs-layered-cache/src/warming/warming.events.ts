export interface WarmRun {
  warmer: string;
  status: 'completed' | 'failed';
  items: number;
  durationMs: number;
}

/** Finished warm runs on this instance (for metrics). */
export class WarmingEvents {
  private readonly listeners = new Set<(run: WarmRun) => void>();

  on(listener: (run: WarmRun) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(run: WarmRun): void {
    for (const listener of this.listeners) listener(run);
  }
}
