import { Body, Controller, Get, HttpCode, NotFoundException, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AdminValidationPipe } from '../access/admin-validation.pipe.js';
import { CacheAdminGuard } from '../access/cache-admin.guard.js';
import { CacheRoute } from '../http/cache-route.decorator.js';
import { WriteBehindService } from './write-behind.service.js';

const replaySchema = z.strictObject({
  entity: z.string().min(1, 'name the entity whose dead batches to replay'),
  batches: z.array(z.string().min(1)).max(10_000).optional(),
});

@ApiTags('cache admin')
@ApiBearerAuth()
@CacheRoute(false)
@UseGuards(CacheAdminGuard)
@Controller('cache/write-behind')
export class WriteBehindController {
  constructor(private readonly writeBehind: WriteBehindService) {}

  @Get()
  @ApiOperation({ summary: 'Pending rows, oldest wait, batches in flight and the dead-letter list, per entity' })
  async state() {
    const [counts, dead] = await Promise.all([this.writeBehind.counts(), this.writeBehind.dead()]);
    return { entities: counts, dead, stats: { ...this.writeBehind.stats } };
  }

  @Post('replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put dead batches back in the queue (all of an entity, or the listed ones)' })
  @ApiBody({
    schema: {
      type: 'object',
      properties: { entity: { type: 'string' }, batches: { type: 'array', items: { type: 'string' } } },
    },
  })
  async replay(@Body(new AdminValidationPipe(replaySchema)) body: z.infer<typeof replaySchema>) {
    const known = this.writeBehind.entities();
    if (!known.includes(body.entity)) {
      throw new NotFoundException(
        `No write-behind entity "${body.entity}"; known: ${known.map((e) => `"${e}"`).join(', ') || 'none'}`,
      );
    }
    return { replayed: await this.writeBehind.replay(body.entity, body.batches) };
  }
}
