export { ParseIdPipe } from './parse-id.pipe.js';
export { ZodValidationPipe } from './zod-validation.pipe.js';
