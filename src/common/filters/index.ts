export { DatabaseUnavailableFilter, isDatabaseUnavailable } from './database-unavailable.filter.js';
