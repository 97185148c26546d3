import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { DataSource } from 'typeorm';
import type { RunningApp } from '../../src/bootstrap.js';
import { WriteBehindService } from '../../src/cache/index.js';
import { Document } from '../../src/modules/documents/document.entity.js';
import { OcrEngine } from '../../src/modules/documents/ocr-engine.service.js';
import { renderTextImage } from '../../src/modules/documents/text-image.js';
import { deferred } from '../helpers/cache-instance.js';
import { loginAsNewUser, startE2eApp, type TestAgent } from '../helpers/e2e-app.js';

/** access_count as Postgres has it (not the view, which overlays what write-behind still holds). */
async function accessCountInDb(uuid: string): Promise<number> {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('SELECT access_count AS n FROM documents WHERE uuid = $1', [
      uuid,
    ]);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

describe('sample app: counted document reads are never lost', () => {
  let running: RunningApp;
  let http: TestAgent;

  beforeAll(async () => {
    running = await startE2eApp();
    ({ agent: http } = await loginAsNewUser(running));
  });
  afterAll(() => running?.close());

  it('keeps the reads counted while OCR ran: OCR updates only the columns it owns', async () => {
    const engine = running.app.get(OcrEngine);
    const gate = deferred();
    const started = deferred();
    const recognize = engine.recognize.bind(engine);
    vi.spyOn(engine, 'recognize').mockImplementationOnce(async (bytes) => {
      started.resolve();
      await gate.promise;
      return recognize(bytes);
    });
    const image = await renderTextImage([`Counted while OCR runs ${Date.now()}`]);
    const { body } = await http.post('/documents').attach('file', image, 'scan.png').expect(201);
    const uuid = (body as { uuid: string }).uuid;
    await started.promise; // OCR has loaded the document and is recognizing it

    for (let i = 0; i < 3; i++) await http.get(`/documents/${uuid}`).expect(200);
    await running.app.get(WriteBehindService).flush();
    expect(await accessCountInDb(uuid)).toBe(3);

    gate.resolve();
    await vi.waitFor(async () => expect((await http.get(`/documents/${uuid}/status`)).body.status).toBe('completed'), {
      timeout: 60_000,
      interval: 100,
    });
    expect(await accessCountInDb(uuid)).toBe(3);
  }, 90_000);

  it('drains write-behind when the app closes', async () => {
    const closing = await startE2eApp({ WRITE_BEHIND_FLUSH_INTERVAL: '600000' });
    const { agent, userId } = await loginAsNewUser(closing);
    const documents = closing.app.get(DataSource).getRepository(Document);
    const doc = await documents.save(
      documents.create({
        ownerId: userId,
        title: 'Drained',
        contentHash: 'd'.repeat(64),
        mime: 'image/png',
        size: 1,
        status: 'completed',
      }),
    );
    for (let i = 0; i < 5; i++) await agent.get(`/documents/${doc.uuid}`).expect(200);
    expect(await accessCountInDb(doc.uuid)).toBe(0); // still in Redis: the flusher ticks every 10 min
    await closing.close();
    expect(await accessCountInDb(doc.uuid)).toBe(5);
  }, 60_000);
});
