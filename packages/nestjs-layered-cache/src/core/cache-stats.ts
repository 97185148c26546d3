/** Counters kept by the engine itself (cache-manager's multi-store emits no miss events). */
export class CacheStats {
  l1Hits = 0;
  l2Hits = 0;
  /** Expired entries served within grace while a refresh ran. */
  staleHits = 0;
  misses = 0;
  sets = 0;
  deletes = 0;
  /** Dependencies bumped (tags, namespaces). */
  invalidations = 0;
  /** Fills whose result was returned but not stored because a dependency moved meanwhile. */
  fillsRefused = 0;
  /** Background refreshes whose loader failed (the stale value kept being served). */
  refreshFailures = 0;
  /** Values larger than `maxValueBytes`: returned or accepted, but not cached. */
  oversized = 0;
  /** Undecodable L2 entries found (each was removed and treated as a miss). */
  corrupt = 0;
  /** Fills that found another instance's lock and waited for its entry. */
  lockWaits = 0;
  /** Waits that ran out (`lock.maxWait`) and loaded anyway. */
  lockTimeouts = 0;
  /** Bus messages from other instances applied to this L1. */
  busReceived = 0;
  /** Messages on our bus channel that were malformed (ignored). */
  busMalformed = 0;
}
