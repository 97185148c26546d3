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

/** A tesseract worker and the recognitions it has run and is running. */
interface Generation {
  worker: Promise<Worker>;
  jobs: number;
  active: number;
  retired: boolean;
}

/**
 * Real OCR with tesseract.js, one worker reused for job after job (loading the model costs
 * ~0.3 s), created on first use and terminated at shutdown. `runs` counts recognitions performed.
 * Tesseract's WebAssembly heap grows to fit the largest image it has seen and never shrinks, so
 * the worker is recycled every `recycleAfter` recognitions: memory stays bounded by what a few
 * jobs need (uploads are also capped in pixels, DOCUMENTS_MAX_PIXELS).
 */
@Injectable()
export class OcrEngine implements OnModuleDestroy {
  private readonly logger = new Logger('OcrEngine');
  private current: Generation | undefined;
  private readonly inflight = new Set<Promise<OcrResult>>();
  private closing = false;
  runs = 0;
  /** Workers started so far. */
  workersStarted = 0;
  /** Recognitions one worker runs before it is replaced. */
  recycleAfter = 20;

  async recognize(image: string | Buffer): Promise<OcrResult> {
    if (this.closing) throw new Error('the OCR engine is shutting down');
    const run = (async () => {
      const generation = (this.current ??= this.start());
      this.runs++;
      generation.jobs++;
      generation.active++;
      // The next job gets a fresh worker; this one ends once its jobs in progress have.
      if (generation.jobs >= this.recycleAfter) this.retire(generation);
      try {
        const { data } = await (await generation.worker).recognize(image);
        return { text: data.text.trim(), confidence: Math.round(data.confidence), language: 'eng', pageCount: 1 };
      } finally {
        generation.active--;
        if (generation.retired && generation.active === 0) await this.terminate(generation);
      }
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
    const generation = this.current;
    this.current = undefined;
    if (generation) await this.terminate(generation);
  }

  private retire(generation: Generation): void {
    generation.retired = true;
    if (this.current === generation) this.current = undefined;
  }

  private async terminate(generation: Generation): Promise<void> {
    const worker = await generation.worker.catch(() => undefined);
    await worker
      ?.terminate()
      .catch((error: Error) => this.logger.warn(`OCR worker did not terminate: ${error.message}`));
  }

  private start(): Generation {
    if (this.workersStarted++ === 0) this.logger.log('Loading the OCR model (eng)');
    // langPath + cacheMethod 'none': without them tesseract.js downloads the model and caches it.
    const started = createWorker('eng', OEM.LSTM_ONLY, {
      langPath: eng.langPath,
      gzip: eng.gzip,
      cacheMethod: 'none',
      // Without a handler, a failed recognition is also thrown as an uncaught error; the caller's
      // rejected promise is enough.
      errorHandler: () => undefined,
    });
    const generation: Generation = { worker: started, jobs: 0, active: 0, retired: false };
    // A worker that failed to start is not reused: the next job starts another.
    started.catch(() => this.retire(generation));
    return generation;
  }
}
