/** Products the global setup seeds once for every e2e file (ids 1…200). */
export const E2E_SEED_PRODUCTS = 200;
