import type { Job, Queue } from 'bullmq';
import type { WarmJobData, WarmJobResult } from './warming.interface.js';

/** What `GET /cache/warm/:id` and the dashboard show of one warm job. */
export async function describeWarmJob(
  queue: Queue<WarmJobData, WarmJobResult>,
  snapshot: Job<WarmJobData, WarmJobResult>,
): Promise<Record<string, unknown>> {
  // The snapshot may predate the job's end (read before the state): re-read it so result and state agree.
  const state = await snapshot.getState();
  const ended = (state === 'completed' || state === 'failed') && !snapshot.finishedOn;
  const job = (ended && (await queue.getJob(snapshot.id!))) || snapshot;
  const progress =
    typeof job.progress === 'object' ? (job.progress as { done: number; total: number; percent: number }) : null;
  return {
    id: job.id,
    warmer: job.data.warmer,
    reason: job.data.reason,
    state,
    progress: progress?.percent ?? (typeof job.progress === 'number' ? job.progress : 0),
    done: progress?.done ?? null,
    total: progress?.total ?? null,
    attempts: job.attemptsMade,
    items: job.returnvalue?.items ?? null,
    durationMs: job.finishedOn && job.processedOn ? job.finishedOn - job.processedOn : null,
    error: job.failedReason || null,
  };
}
