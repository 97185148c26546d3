import { afterEach, describe, expect, it } from 'vitest';
import { OcrEngine } from './ocr-engine.service.js';
import { renderTextImage } from './text-image.js';

describe('OcrEngine (real tesseract.js)', () => {
  let engine: OcrEngine | undefined;
  afterEach(() => engine?.onModuleDestroy());

  it('replaces its worker every recycleAfter recognitions, without cutting one in progress', async () => {
    engine = new OcrEngine();
    engine.recycleAfter = 2;
    const invoice = await renderTextImage(['INVOICE 1042']);
    const receipt = await renderTextImage(['RECEIPT 77']);
    // Two at once on the first worker (the second retires it while the first still runs), then one
    // on the next worker.
    const [a, b] = await Promise.all([engine.recognize(invoice), engine.recognize(receipt)]);
    const c = await engine.recognize(invoice);
    expect([a.text, b.text, c.text]).toEqual(['INVOICE 1042', 'RECEIPT 77', 'INVOICE 1042']);
    expect(engine.workersStarted).toBe(2);
    expect(engine.runs).toBe(3);
  }, 60_000);
});
