import { createRequire } from 'node:module';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { createWorker, OEM, type Worker } from 'tesseract.js';

export interface OcrResult {
  text: string;
  /** 0–100. */
  confidence: number;
  language: string;
  pageCount: number;
}

/** The English model shipped in npm: OCR never reaches the network. */
const eng = createRequire(import.meta.url)('@tesseract.js-data/eng') as { langPath: string; gzip: boolean };

/**
 * Real OCR with tesseract.js, one worker reused for every job (loading the model costs ~0.3 s),
 * created on first use and terminated at shutdown. `runs` counts recognitions actually performed.
 */
@Injectable()
export class OcrEngine implements OnModuleDestroy {
  private readonly logger = new Logger('OcrEngine');
  private worker: Promise<Worker> | undefined;
  private readonly inflight = new Set<Promise<OcrResult>>();
  private closing = false;
  runs = 0;

  async recognize(image: string | Buffer): Promise<OcrResult> {
    if (this.closing) throw new Error('the OCR engine is shutting down');
    const run = (async () => {
      const worker = await (this.worker ??= this.start());
      this.runs++;
      const { data } = await worker.recognize(image);
      return { text: data.text.trim(), confidence: Math.round(data.confidence), language: 'eng', pageCount: 1 };
    })();
    this.inflight.add(run);
    try {
      return await run;
    } finally {
      this.inflight.delete(run);
    }
  }

  /**
   * Lets recognitions in progress finish (at most 10 s) before terminating the engine: a job cut
   * off mid-way would never settle, and the queue's worker would wait for it forever.
   */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    const settled = Promise.allSettled([...this.inflight]);
    await Promise.race([settled, new Promise((r) => setTimeout(r, 10_000).unref())]);
    const worker = this.worker;
    this.worker = undefined;
    await (await worker?.catch(() => undefined))?.terminate();
  }

  private start(): Promise<Worker> {
    this.logger.log('Loading the OCR model (eng)');
    // langPath + cacheMethod 'none': without them tesseract.js downloads the model and caches it.
    const started = createWorker('eng', OEM.LSTM_ONLY, {
      langPath: eng.langPath,
      gzip: eng.gzip,
      cacheMethod: 'none',
      // Without a handler, a failed recognition is also thrown as an uncaught error; the caller's
      // rejected promise is enough.
      errorHandler: () => undefined,
    });
    started.catch(() => (this.worker = undefined));
    return started;
  }
}
