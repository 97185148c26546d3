import { Module } from '@nestjs/common';
import { CacheModule } from 'nestjs-layered-cache';
import { stockMoveInvalidationRule } from './inventory.cache-rules.js';
import { InventoryController } from './inventory.controller.js';
import { InventoryService } from './inventory.service.js';

@Module({
  imports: [CacheModule.forFeature({ rules: [stockMoveInvalidationRule] })],
  controllers: [InventoryController],
  providers: [InventoryService],
})
export class InventoryModule {}
