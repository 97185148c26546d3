/** Where and when a benchmark ran: written into every result, so a number never travels without it. */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

export interface Environment {
  /** ISO time the benchmark started. */
  date: string;
  node: string;
  platform: string;
  cpuModel: string;
  cpuCount: number;
  /** 1, 5 and 15 minute load averages when the benchmark started and when it ended. */
  loadStart: number[];
  loadEnd: number[];
  /** `git rev-parse HEAD`, 'unknown' outside a checkout; `dirty` when tracked files had changes. */
  commit: string;
  dirty: boolean;
}

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

const load = () => loadavg().map((x) => Math.round(x * 100) / 100);

/** Captures the start of a run; call the returned function at its end for the full environment. */
export function captureEnvironment(): () => Environment {
  const cpu = cpus();
  const start = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cpuCount: cpu.length,
    loadStart: load(),
    commit: git(['rev-parse', 'HEAD']) ?? 'unknown',
    dirty: (git(['status', '--porcelain', '--untracked-files=no']) ?? '') !== '',
  };
  return () => ({ ...start, loadEnd: load() });
}
