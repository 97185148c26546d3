import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/bootstrap.js';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Document } from '../../src/modules/documents/document.entity.js';
import { OcrEngine } from '../../src/modules/documents/ocr-engine.service.js';
import { renderTextImage } from '../../src/modules/documents/text-image.js';
import { loginAsNewUser, startE2eApp, type TestAgent } from '../helpers/e2e-app.js';

const MAX_BYTES = 300_000;

describe('sample app: documents with real OCR', () => {
  let running: RunningApp;
  let http: TestAgent;
  let engine: OcrEngine;
  let user: string;

  const upload = (bytes: Buffer, name = 'scan.png', title?: string) => {
    const req = http.post('/documents').attach('file', bytes, name);
    return title ? req.field('title', title) : req;
  };
  const settled = async (uuid: string): Promise<{ status: string; error?: string }> => {
    for (let i = 0; i < 300; i++) {
      const { body } = await http.get(`/documents/${uuid}/status`).expect(200);
      if (body.status === 'completed' || body.status === 'failed') return body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`document ${uuid} did not settle`);
  };

  beforeAll(async () => {
    running = await startE2eApp({ DOCUMENTS_MAX_BYTES: String(MAX_BYTES) });
    ({ agent: http, userId: user } = await loginAsNewUser(running));
    engine = running.app.get(OcrEngine);
  });
  afterAll(() => running?.close());

  it('recognizes the text of an uploaded image, and caches every view of it', async () => {
    const image = await renderTextImage(['Invoice 4711', 'Total 99 EUR', 'Shipped to Berlin']);
    const created = await upload(image, 'invoice.png', 'Invoice 4711').expect(201);
    expect(created.body).toEqual({ uuid: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'queued' });
    const { uuid } = created.body as { uuid: string };
    expect(await settled(uuid)).toEqual({ status: 'completed' });

    const ocr = await http.get(`/documents/${uuid}/ocr`).expect(200);
    expect(ocr.body.text).toMatch(/Invoice 4711/);
    expect(ocr.body.text).toMatch(/Berlin/);
    expect(ocr.body).toMatchObject({ language: 'eng', pageCount: 1 });
    expect(ocr.body.confidence).toBeGreaterThan(50);
    expect((await http.get(`/documents/${uuid}/ocr`).expect(200)).headers['x-cache']).toBe('HIT');

    const meta = await http.get(`/documents/${uuid}`).expect(200);
    expect(meta.body).toMatchObject({
      uuid,
      ownerId: user,
      title: 'Invoice 4711',
      mime: 'image/png',
      size: image.length,
      status: 'completed',
    });
    expect(meta.body.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await http.get(`/documents/${uuid.toUpperCase()}`).expect(200)).body.uuid).toBe(uuid);
  });

  it('completes a second upload of the same image at once, without running OCR again', async () => {
    const image = await renderTextImage(['Delivery note 815', 'Twelve pallets']);
    const first = await upload(image).expect(201);
    await settled(first.body.uuid);
    const runs = engine.runs;
    const again = await upload(image, 'copy.png', 'Copy').expect(201);
    expect(again.body.status).toBe('completed');
    expect(again.body.uuid).not.toBe(first.body.uuid);
    expect((await http.get(`/documents/${again.body.uuid}/ocr`).expect(200)).body.text).toMatch(/Delivery note 815/);
    expect(engine.runs).toBe(runs);
  });

  it('refuses an image that does not decode, at upload', async () => {
    // PNG signature, then garbage: the signature alone would pass.
    const broken = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
    const res = await upload(broken, 'broken.png').expect(400);
    expect(res.body.message).toMatch(/not a readable image\/png image/);
  });

  it('marks a document failed after its retries when OCR cannot run; its OCR result is a 409', async () => {
    // A row whose stored file is gone (disk lost, say): every attempt fails.
    const documents = running.app.get(DataSource).getRepository(Document);
    const lost = await documents.save(
      documents.create({
        ownerId: user,
        title: 'Lost',
        contentHash: 'f'.repeat(64),
        mime: 'image/png',
        size: 1,
        status: 'queued',
      }),
    );
    await running.app
      .get<Queue>(getQueueToken('ocr'))
      .add('recognize', { uuid: lost.uuid }, { attempts: 2, backoff: { type: 'fixed', delay: 50 } });
    const status = await settled(lost.uuid);
    expect(status.status).toBe('failed');
    expect(status.error).toMatch(/ENOENT/);
    const ocr = await http.get(`/documents/${lost.uuid}/ocr`).expect(409);
    expect(ocr.body.message).toMatch(/is failed/);
  });

  it('counts a user’s documents by status, invalidated by every change', async () => {
    const summary = await http.get(`/users/${user}/documents/summary`).expect(200);
    expect(summary.body).toEqual({
      userId: user,
      total: 4,
      byStatus: { queued: 0, processing: 0, completed: 3, failed: 1 },
    });
    expect((await http.get(`/users/${user}/documents/summary`).expect(200)).headers['x-cache']).toBe('HIT');
    const image = await renderTextImage(['Receipt 1001']);
    const { body } = await upload(image).expect(201);
    const during = await http.get(`/users/${user}/documents/summary`).expect(200);
    expect(during.body.total).toBe(5);
    await settled(body.uuid);
    const after = await http.get(`/users/${user}/documents/summary`).expect(200);
    expect(after.body.byStatus.completed).toBe(4);
  });

  it('refuses bad uploads with 400 or 413, no session with 401, and bad ids with 400/404', async () => {
    const text = await upload(Buffer.from('just some text'), 'notes.txt').expect(400);
    expect(text.body.message).toMatch(/PNG or JPEG/);
    const missing = await http.post('/documents').field('title', 'nothing attached').expect(400);
    expect(missing.body.message).toMatch(/"file" is required/);
    const big = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(MAX_BYTES)]);
    await upload(big, 'huge.png').expect(413);
    await http.post('/documents').attach('image', Buffer.from('x'), 'x.png').expect(400);
    await request(running.app.getHttpServer())
      .post('/documents')
      .attach('file', await renderTextImage(['x']), 'x.png')
      .expect(401);
    await http.get('/documents/not-a-uuid').expect(400);
    await http.get('/documents/00000000-0000-4000-8000-000000000000').expect(404);
    await http.get('/documents/00000000-0000-4000-8000-000000000000/status').expect(404);
  });

  it('shows a document and its summary only to its owner and admins, never from another user’s cache entry', async () => {
    const { body } = await upload(await renderTextImage(['Private memo'])).expect(201);
    await http.get(`/documents/${body.uuid}/status`).expect(200);
    const other = await loginAsNewUser(running);
    for (const path of [`/documents/${body.uuid}`, `/documents/${body.uuid}/status`, `/documents/${body.uuid}/ocr`]) {
      await other.agent.get(path).expect(403);
    }
    await other.agent.get(`/users/${user}/documents/summary`).expect(403);
    const admin = await loginAsNewUser(running, ['admin']);
    await admin.agent.get(`/documents/${body.uuid}`).expect(200);
    expect((await admin.agent.get(`/users/${user}/documents/summary`).expect(200)).body.userId).toBe(user);
    await request(running.app.getHttpServer()).get(`/documents/${body.uuid}`).expect(401);
  });

  it('counts reads through write-behind and shows the count at once', async () => {
    const { body } = await upload(await renderTextImage(['Counted'])).expect(201);
    const first = await http.get(`/documents/${body.uuid}`).expect(200);
    const second = await http.get(`/documents/${body.uuid}`).expect(200);
    expect(second.body.accessCount).toBe(first.body.accessCount + 1);
    expect(second.body.lastAccessedAt).toEqual(expect.any(String));
  });
});
