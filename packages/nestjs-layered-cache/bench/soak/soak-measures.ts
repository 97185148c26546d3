/** The soak's "measure | value" rows: what ran, how the caches behaved, what the samplers saw. */
import type { CacheStatsSnapshot } from '../../src/index.js';

const hitRatio = (st: CacheStatsSnapshot) => {
  const hits = (st.l1?.hits ?? 0) + (st.l2?.hits ?? 0) + st.staleHits;
  return `${((100 * hits) / Math.max(1, hits + st.misses)).toFixed(1)} % (L1 ${st.l1?.hits}, L2 ${st.l2?.hits}, stale ${st.staleHits}, misses ${st.misses})`;
};

/** `sampled` are the samplers' Markdown rows (`| measure | value |`), split into cells here. */
export function measureRows(
  c: Record<'reads' | 'loads' | 'invalidations' | 'sets' | 'groups' | 'deletes' | 'patterns', number>,
  ops: number,
  total: number,
  stats: CacheStatsSnapshot[],
  sampled: string[],
): string[][] {
  return [
    ['duration', `${total.toFixed(1)} s`],
    ['operations', `${ops} (${Math.round(ops / total)} ops/s)`],
    ['reads (getOrSet) / loader calls', `${c.reads} / ${c.loads}`],
    ['writes: invalidateTags / set', `${c.invalidations} / ${c.sets}`],
    ['group invalidations / deletes / pattern invalidations', `${c.groups} / ${c.deletes} / ${c.patterns}`],
    ...stats.map((st, i) => [`hit ratio ${'AB'[i]}`, hitRatio(st)]),
    ...stats.map((st, i) => [
      `${'AB'[i]}: fills refused / lock waits / lock timeouts / bus messages`,
      `${st.fillsRefused} / ${st.lockWaits} / ${st.lockTimeouts} / ${st.bus?.received}`,
    ]),
    ...sampled.map((row) => row.replace(/^\| | \|$/g, '').split(' | ')),
  ];
}
