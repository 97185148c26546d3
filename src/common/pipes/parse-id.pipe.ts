import { BadRequestException, type PipeTransform } from '@nestjs/common';

/** Route ids are positive 32-bit integers; anything else is a 400 that says so. */
export class ParseIdPipe implements PipeTransform<string, number> {
  constructor(private readonly name = 'id') {}

  transform(value: string): number {
    if (/^[1-9]\d{0,9}$/.test(value) && Number(value) <= 2_147_483_647) return Number(value);
    throw new BadRequestException(`${this.name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
}
