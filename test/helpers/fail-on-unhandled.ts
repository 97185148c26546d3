/**
 * For child processes spawned by tests (the whole app in a process of its own): an unhandled
 * rejection or exception is reported on stderr with a marker the parent test looks for, and the
 * process exits non-zero at once, so no such event can pass unnoticed. (Vitest itself already
 * fails the run on them in its own workers.)
 */
export const UNHANDLED_MARKER = 'UNHANDLED-IN-CHILD';

export function failOnUnhandled(): void {
  for (const event of ['unhandledRejection', 'uncaughtException'] as const) {
    process.on(event, (reason: unknown) => {
      const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
      process.stderr.write(`${UNHANDLED_MARKER} ${event}: ${text}\n`);
      process.exit(70);
    });
  }
}
