export const CACHE_ROUTE_METADATA = 'cache:route';
