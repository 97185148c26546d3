const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A freshness class: `ttl` and `grace` in milliseconds. */
export interface TtlProfile {
  ttl: number;
  grace: number;
}

/** The design's freshness classes. Change one here, or with `CACHE_TTL_<NAME>` (ms) at start. */
const defaults = {
  productCatalog: { ttl: HOUR, grace: 5 * MINUTE },
  productDetails: { ttl: 10 * MINUTE, grace: MINUTE },
  inventoryLevels: { ttl: 5 * MINUTE, grace: 0 },
  pricing: { ttl: 15 * MINUTE, grace: MINUTE },
  ocrResult: { ttl: 7 * DAY, grace: 0 },
  documentMetadata: { ttl: HOUR, grace: 0 },
  processingStatus: { ttl: MINUTE, grace: 0 },
  userDocumentSummary: { ttl: 5 * MINUTE, grace: 0 },
  reports: { ttl: DAY, grace: HOUR },
  /** Static reference data (categories). */
  referenceData: { ttl: DAY, grace: HOUR },
} satisfies Record<string, TtlProfile>;

export type TtlProfileName = keyof typeof defaults;

/** `productCatalog` → `CACHE_TTL_PRODUCT_CATALOG`. */
export const ttlVariable = (name: string): string =>
  `CACHE_TTL_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/**
 * Profiles with overrides from the environment applied. Read when the app's modules load (route
 * decorators need them then); a bad value stops the app naming the variable.
 */
export function ttlProfiles(env: NodeJS.ProcessEnv = process.env): Record<TtlProfileName, TtlProfile> {
  const profiles = { ...defaults } as Record<TtlProfileName, TtlProfile>;
  for (const name of Object.keys(defaults) as TtlProfileName[]) {
    const raw = env[ttlVariable(name)];
    if (raw === undefined || raw === '') continue;
    const ttl = Number(raw);
    if (!Number.isInteger(ttl) || ttl <= 0) {
      throw new Error(`${ttlVariable(name)} must be a whole number of milliseconds > 0, got "${raw}"`);
    }
    profiles[name] = { ...profiles[name], ttl };
  }
  return profiles;
}

/**
 * Named freshness classes of the sample app (from the design: catalog 1 h, details 10 min…).
 * Controllers and services refer to a profile, never to a number.
 */
export const CacheTtl = ttlProfiles();
