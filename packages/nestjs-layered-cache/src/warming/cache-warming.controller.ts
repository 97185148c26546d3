import {
  BadRequestException,
  Body,
  Controller,
  Get,
  NotFoundException,
  ServiceUnavailableException,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AdminValidationPipe } from '../access/admin-validation.pipe.js';
import { CacheAdminGuard } from '../access/cache-admin.guard.js';
import { within } from '../core/within.js';
import { CacheRoute } from '../http/cache-route.decorator.js';
import { CacheWarmingService } from './cache-warming.service.js';

const warmSchema = z.strictObject({ warmers: z.array(z.string().min(1), 'must be a list of warmer names').optional() });
const hotSchema = z.strictObject({ top: z.coerce.number().int().min(1).max(1000).default(20) });

@ApiTags('cache admin')
@ApiBearerAuth()
@CacheRoute(false)
@UseGuards(CacheAdminGuard)
@Controller('cache')
export class CacheWarmingController {
  constructor(private readonly warming: CacheWarmingService) {}

  @Post('warm')
  @ApiOperation({ summary: 'Enqueue warmers (all, or the named ones); returns their job ids' })
  @ApiBody({ schema: { type: 'object', properties: { warmers: { type: 'array', items: { type: 'string' } } } } })
  async warm(@Body(new AdminValidationPipe(warmSchema)) body: z.infer<typeof warmSchema>) {
    const unknown = this.warming.unknown(body.warmers ?? []);
    if (unknown.length > 0) {
      throw new BadRequestException(
        `Unknown warmer(s): ${unknown.join(', ')}. Known: ${this.warming.known().join(', ')}`,
      );
    }
    return { jobs: await this.answered(this.warming.enqueue(body.warmers)) };
  }

  @Get('warm')
  @ApiOperation({ summary: 'Warm jobs waiting or running, with progress' })
  running() {
    return this.answered(this.warming.running());
  }

  @Get('warm/:jobId')
  @ApiOperation({ summary: 'State, progress (0–100), duration, items and error of one warm job' })
  async job(@Param('jobId') jobId: string) {
    const job = await this.answered(this.warming.job(jobId));
    if (!job) throw new NotFoundException(`No warm job ${jobId}`);
    return job;
  }

  @Get('warmers')
  @ApiOperation({ summary: 'Warmers with schedule, next run, last run and its result' })
  warmers() {
    return this.answered(this.warming.warmers());
  }

  @Get('hot')
  @ApiOperation({ summary: 'The most read keys (sampled, decaying scores)' })
  hot(@Query(new AdminValidationPipe(hotSchema)) query: z.infer<typeof hotSchema>) {
    return this.answered(this.warming.hot(query.top));
  }

  /**
   * Everything here is Redis work, and BullMQ's connection holds commands while Redis is down: a
   * 503 naming the cause after `queueWait` ms, never a request that waits for the whole outage or
   * a 500 for a Redis error.
   */
  private async answered<T>(work: Promise<T>): Promise<T> {
    let outcome: T | 'timeout';
    try {
      outcome = await within(work, this.warming.queueWait);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ServiceUnavailableException(`Redis (the warming queue) failed: ${message}`);
    }
    if (outcome === 'timeout') {
      throw new ServiceUnavailableException(
        `Redis (the warming queue) did not answer within ${this.warming.queueWait} ms`,
      );
    }
    return outcome;
  }
}
