/**
 * `work`'s outcome, or 'timeout' once `ms` have passed; `work` goes on, and its later rejection is
 * observed by the race (never an unhandled rejection). For waits on clients that hold commands
 * while Redis is down (BullMQ's connections, a subscriber), which would otherwise wait for the
 * whole outage.
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(resolve, ms, 'timeout');
  });
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
