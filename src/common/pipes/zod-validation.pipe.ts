import { BadRequestException, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

/** Validates a body or query with a zod schema; a failure is a 400 listing each bad field and why. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly what = 'body',
  ) {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: `Invalid request ${this.what}`,
      issues: result.error.issues.map((issue) => ({
        field: issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : this.what),
        message: issue.message,
      })),
    });
  }
}
