export { ParseIdPipe } from './parse-id.pipe.js';
export { ZodValidationPipe } from './zod-validation.pipe.js';
export { CONTROL_MESSAGE, hasNoControlCharacters, INT32_MAX, INT32_MESSAGE } from './db-values.js';
