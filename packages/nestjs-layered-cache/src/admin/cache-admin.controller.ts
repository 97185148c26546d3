import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Body, Controller, Get, Header, HttpCode, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExcludeEndpoint, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CacheRoute } from '../http/cache-route.decorator.js';
import { AdminValidationPipe } from '../access/admin-validation.pipe.js';
import {
  clearSchema,
  invalidateSchema,
  keysQuerySchema,
  type ClearBody,
  type InvalidateBody,
  type KeysQuery,
} from './cache-admin.dto.js';
import { CacheAdminGuard } from '../access/cache-admin.guard.js';
import { CacheAdminService } from './cache-admin.service.js';
import { DASHBOARD_HTML } from './dashboard.page.js';

const uplotDir = join(dirname(createRequire(import.meta.url).resolve('uplot')), '..', 'dist');
const asset = (file: string) => readFileSync(join(uplotDir, file), 'utf8');
const UPLOT_JS = asset('uPlot.iife.min.js');
const UPLOT_CSS = asset('uPlot.min.css');

type AdminRequest = { cacheAdmin?: string };

/** The cache's admin API and dashboard. Never cached by the HTTP cache itself. */
@ApiTags('cache admin')
@ApiBearerAuth()
@CacheRoute(false)
@Controller('cache')
export class CacheAdminController {
  constructor(private readonly admin: CacheAdminService) {}

  @Get('stats')
  @UseGuards(CacheAdminGuard)
  @ApiOperation({ summary: 'Counters and rates per layer, L1/Redis sizes, bus and HTTP state, top key groups' })
  stats(): Promise<Record<string, unknown>> {
    return this.admin.stats();
  }

  @Get('stats/history')
  @UseGuards(CacheAdminGuard)
  @ApiOperation({ summary: "This instance's recent samples (hit rates, reads/s, L1 bytes) for the dashboard" })
  history() {
    return this.admin.historySamples();
  }

  @Post('invalidate')
  @HttpCode(200)
  @UseGuards(CacheAdminGuard)
  @ApiOperation({ summary: 'Invalidate keys, tags and/or a key pattern (SCAN, scoped to our prefix)' })
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        keys: { type: 'array', items: { type: 'string' }, maxItems: 1000 },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 1000 },
        pattern: { type: 'string', example: 'product:*' },
        namespace: { type: 'string', example: 'http' },
        confirm: {
          type: 'boolean',
          description: 'required for a pattern without a literal prefix (it can match every key)',
        },
      },
    },
  })
  invalidate(@Body(new AdminValidationPipe(invalidateSchema)) body: InvalidateBody, @Req() req: AdminRequest) {
    return this.admin.invalidate(body, req.cacheAdmin ?? 'unknown');
  }

  @Post('clear')
  @HttpCode(200)
  @UseGuards(CacheAdminGuard)
  @ApiOperation({ summary: 'Clear a namespace (O(1) version bump; every instance drops its L1 copies)' })
  @ApiBody({ schema: { type: 'object', properties: { namespace: { type: 'string', example: 'http' } } } })
  clear(@Body(new AdminValidationPipe(clearSchema)) body: ClearBody, @Req() req: AdminRequest) {
    return this.admin.clear(body, req.cacheAdmin ?? 'unknown');
  }

  @Get('keys')
  @UseGuards(CacheAdminGuard)
  @ApiOperation({ summary: 'One SCAN page of stored entries: TTL left (ms), payload bytes, tags' })
  @ApiQuery({ name: 'pattern', required: false, example: 'product:*' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'count', required: false })
  @ApiQuery({ name: 'namespace', required: false })
  keys(@Query(new AdminValidationPipe(keysQuerySchema)) query: KeysQuery) {
    return this.admin.keys(query);
  }

  @Get('recommendations')
  @UseGuards(CacheAdminGuard)
  @ApiOperation({ summary: 'Advice from live numbers, each with the evidence that led to it' })
  recommendations() {
    return this.admin.recommendations();
  }

  /** The page holds no data: it asks for the token and calls the guarded routes above. */
  @Get('dashboard')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiExcludeEndpoint()
  dashboard(): string {
    return DASHBOARD_HTML;
  }

  @Get('dashboard/uplot.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @ApiExcludeEndpoint()
  uplotScript(): string {
    return UPLOT_JS;
  }

  @Get('dashboard/uplot.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @ApiExcludeEndpoint()
  uplotStyle(): string {
    return UPLOT_CSS;
  }
}
