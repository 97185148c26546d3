import { once } from 'node:events';
import { Redis } from 'ioredis';

/**
 * Records the commands that clients send to a real Redis and that mention `prefix` (via MONITOR).
 * Commands run inside Lua scripts are left out (one script call is one round trip) unless
 * `insideScripts` is set.
 */
export async function monitorRedis(url: string, prefix: string, { insideScripts = false } = {}) {
  const monitor = new Redis(url, { monitor: true, enableReadyCheck: false, lazyConnect: true });
  const commands: string[][] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source === 'lua' && !insideScripts) return;
    if (args.some((arg) => String(arg).startsWith(prefix))) commands.push(args.map(String));
  });
  const monitoring = once(monitor, 'monitoring');
  await monitor.connect();
  await monitoring;
  return {
    commands,
    /** Waits until MONITOR has caught up with everything sent so far, then stops. */
    async stop(): Promise<string[][]> {
      const marker = `${prefix}~monitor-end`;
      const probe = new Redis(url);
      await probe.get(marker);
      await probe.quit();
      const deadline = Date.now() + 2000;
      while (!commands.some((c) => c.includes(marker)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 5));
      }
      monitor.disconnect();
      return commands.filter((c) => !c.includes(marker));
    },
  };
}
