export { CdcInvalidationModule } from './cdc-invalidation.module.js';
export { CdcInvalidationService } from './cdc-invalidation.service.js';
export type { CdcInvalidationOptions, CdcStatus, TableTagRule } from './cdc-options.interface.js';
export type { CdcAppliedEvent } from './cdc.events.js';
