import { describe, expect, it } from 'vitest';
import { ttlProfiles, ttlVariable } from './cache-ttl.profiles.js';

describe('TTL profiles', () => {
  it('has the design classes, in milliseconds', () => {
    const p = ttlProfiles({});
    expect(p.productCatalog.ttl).toBe(3_600_000);
    expect(p.inventoryLevels.ttl).toBe(300_000);
    expect(p.ocrResult.ttl).toBe(7 * 24 * 3_600_000);
    expect(p.processingStatus.ttl).toBe(60_000);
  });

  it('takes overrides from CACHE_TTL_<NAME> and refuses bad ones by name', () => {
    expect(ttlVariable('userDocumentSummary')).toBe('CACHE_TTL_USER_DOCUMENT_SUMMARY');
    expect(ttlProfiles({ CACHE_TTL_INVENTORY_LEVELS: '1000' }).inventoryLevels).toEqual({ ttl: 1000, grace: 0 });
    expect(() => ttlProfiles({ CACHE_TTL_REPORTS: '1.5h' })).toThrow(/CACHE_TTL_REPORTS must be a whole number/);
  });
});
