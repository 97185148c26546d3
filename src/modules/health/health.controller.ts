import { Controller, Get, Optional } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { CdcInvalidationService } from 'nestjs-layered-cache/cdc';
import { CacheHealthIndicator } from 'nestjs-layered-cache/health';

/** `GET /health`: the database must answer; Redis or the bus being down only degrades (we still serve). */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly cache: CacheHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Optional() private readonly cdc?: CdcInvalidationService,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.db.pingCheck('database').withTimeout(1500),
      () => this.cache.check('cache'),
      // Only when CACHE_CDC is on.
      ...(this.cdc ? [() => this.cdcCheck(this.cdc!)] : []),
    ]);
  }

  /** Change data capture off, or its slot unread too long (WAL piling up): degraded, still serving. */
  private cdcCheck(cdc: CdcInvalidationService) {
    const { state, slot, lagBytes, unreadMs, stuck, lastDelayMs, reason } = cdc.status();
    const details = { state, slot, lagBytes, unreadMs, stuck, lastDelayMs, ...(reason ? { reason } : {}) };
    const session = this.indicators.check('cdc');
    return stuck || state === 'disabled' ? session.degraded(details) : session.up(details);
  }
}
