import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/bootstrap.js';
import { startE2eApp } from '../helpers/e2e-app.js';

interface Storage {
  setItem(key: string, value: string): void;
}

/** Debian's Chromium (npm test installs it, see scripts/ensure-test-tools.sh). */
const executablePath = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();

describe('cache dashboard in headless Chromium', () => {
  let running: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    running = await startE2eApp({ CACHE_ADMIN_HISTORY_INTERVAL: '300' });
    browser = await chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('asks for the token, refuses a wrong one', async () => {
    const page = await browser.newPage();
    await page.goto(`${running.url}/cache/dashboard`);
    await page.fill('#token', 'not-the-token');
    await page.click('#login button');
    await expect.poll(() => page.textContent('#login-error')).toMatch(/refused \(403\)/);
    await page.close();
  });

  it('renders hit rate, throughput and L1 charts with data after traffic, and the busiest groups', async () => {
    const http = request(running.app.getHttpServer());
    for (let round = 0; round < 5; round++) {
      for (let id = 30; id < 40; id++) await http.get(`/products/${id}`).expect(200);
    }
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // Runs in the page, where sessionStorage exists (this file is typed for Node).
    await page.addInitScript(
      (token) =>
        (globalThis as unknown as { sessionStorage: Storage }).sessionStorage.setItem('cacheAdminToken', token),
      running.adminToken,
    );
    await page.goto(`${running.url}/cache/dashboard`);
    for (const id of ['chart-hit-rate', 'chart-requests', 'chart-l1']) {
      await expect
        .poll(() => page.getAttribute(`#${id}`, 'data-points').then(Number), { timeout: 15_000 })
        .toBeGreaterThanOrEqual(2);
      expect(await page.locator(`#${id} canvas`).count()).toBe(1);
    }
    await expect.poll(() => page.textContent('#groups')).toContain('products');
    expect(await page.textContent('#kpis')).toMatch(/Redis\s*up/);
    // The sample app has warmers: their card shows (here with nothing running, or the startup runs).
    await expect.poll(() => page.isVisible('#warm-card')).toBe(true);
    expect(await page.textContent('#warm-jobs')).toMatch(/warmer/);
    await expect.poll(() => page.isVisible('#wb-card')).toBe(true);
    expect(await page.textContent('#wb')).toMatch(/document/);
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/dashboard.png', fullPage: true });
    await page.close();
  });
});
