const MINUTE = 60_000;

/**
 * Named freshness classes of the sample app (from the design: catalog 1 h, details 10 min…), in
 * milliseconds. Controllers and services refer to a profile, never to a number.
 */
export const CacheTtl = {
  productCatalog: { ttl: 60 * MINUTE, grace: 5 * MINUTE },
  productDetails: { ttl: 10 * MINUTE, grace: MINUTE },
} as const;
