import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CacheRoute } from 'nestjs-layered-cache';
import { ParseIdPipe, ZodValidationPipe } from '../../common/pipes/index.js';
import { CacheTtl } from '../../config/cache-ttl.profiles.js';
import {
  movesQuerySchema,
  stockMoveSchema,
  type InventoryView,
  type MovesQuery,
  type StockMoveDto,
  type StockMovePage,
  type StockMoveView,
} from './dto/stock-move.dto.js';
import { inventoryHttpTags } from './inventory.cache-rules.js';
import { InventoryService } from './inventory.service.js';

/** Stock reads are cached; a move invalidates them when its transaction commits. */
@Controller('inventory')
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Post('moves')
  move(@Body(new ZodValidationPipe(stockMoveSchema)) dto: StockMoveDto): Promise<StockMoveView> {
    return this.inventory.move(dto);
  }

  @Get(':productId')
  @CacheRoute({ ...CacheTtl.inventoryLevels, tags: inventoryHttpTags })
  levels(@Param('productId', new ParseIdPipe('productId')) productId: number): Promise<InventoryView> {
    return this.inventory.levels(productId);
  }

  @Get(':productId/moves')
  @CacheRoute({ ...CacheTtl.inventoryLevels, tags: inventoryHttpTags, query: ['page', 'pageSize'] })
  moves(
    @Param('productId', new ParseIdPipe('productId')) productId: number,
    @Query(new ZodValidationPipe(movesQuerySchema, 'query')) query: MovesQuery,
  ): Promise<StockMovePage> {
    return this.inventory.moves(productId, query);
  }
}
