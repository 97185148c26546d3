import { Module } from '@nestjs/common';
import { CacheInvalidationModule } from 'nestjs-layered-cache/typeorm';
import { stockMoveInvalidationRule } from './inventory.cache-rules.js';
import { InventoryController } from './inventory.controller.js';
import { InventoryService } from './inventory.service.js';

@Module({
  imports: [CacheInvalidationModule.forFeature({ rules: [stockMoveInvalidationRule] })],
  controllers: [InventoryController],
  providers: [InventoryService],
})
export class InventoryModule {}
