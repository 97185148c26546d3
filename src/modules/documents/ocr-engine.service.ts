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
  runs = 0;

  async recognize(image: string | Buffer): Promise<OcrResult> {
    const worker = await (this.worker ??= this.start());
    this.runs++;
    const { data } = await worker.recognize(image);
    return { text: data.text.trim(), confidence: Math.round(data.confidence), language: 'eng', pageCount: 1 };
  }

  async onModuleDestroy(): Promise<void> {
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
