import { BadRequestException, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

/** 400 listing each bad field and why (the admin API's bodies and queries). */
export class AdminValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
      issues: result.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    });
  }
}
