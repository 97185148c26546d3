import { ServiceUnavailableException } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { DocumentsService } from './documents.service.js';
import { renderTextImage } from './text-image.js';

const DEMO_DOCUMENTS = [
  { title: 'Invoice 4711', lines: ['Invoice 4711', 'Total 99.50 EUR', 'Due in 30 days'] },
  { title: 'Delivery note 815', lines: ['Delivery note 815', 'Warehouse MAIN', '12 pallets of screws'] },
  { title: 'Purchase order 42', lines: ['Purchase order 42', 'Supplier ACME Corp', 'Deliver to Berlin'] },
  { title: 'Packing list 7', lines: ['Packing list 7', 'Boxes 3 of 5', 'Handle with care'] },
  { title: 'Receipt 1001', lines: ['Receipt 1001', 'Paid by card', 'Thank you'] },
];

/**
 * Uploads up to `count` generated document images (real OCR then runs on them) when there are no
 * documents yet, so restarts never duplicate them.
 */
export async function seedDocuments(
  dataSource: DataSource,
  documents: DocumentsService,
  count: number,
): Promise<number> {
  const [{ n }] = (await dataSource.query('SELECT count(*)::int AS n FROM documents')) as [{ n: number }];
  if (n > 0 || count === 0) return 0;
  // Owned by the demo user when there is one (outside production), so logging in shows them.
  const [owner] = (await dataSource.query(`SELECT id FROM users WHERE email = 'user@example.com'`)) as { id: number }[];
  const ownerId = owner ? String(owner.id) : 'demo';
  const chosen = Array.from({ length: count }, (_, i) => DEMO_DOCUMENTS[i % DEMO_DOCUMENTS.length]!);
  for (const [i, doc] of chosen.entries()) {
    const suffix = i < DEMO_DOCUMENTS.length ? [] : [`Copy ${Math.floor(i / DEMO_DOCUMENTS.length) + 1}`];
    try {
      await documents.upload({
        bytes: await renderTextImage([...doc.lines, ...suffix]),
        ownerId,
        title: doc.title,
      });
    } catch (error) {
      // The OCR queue is unreachable (Redis down at first boot): the document is kept as failed
      // (the service logged why) and the app boots without the rest of the demo documents.
      if (error instanceof ServiceUnavailableException) return i + 1;
      throw error;
    }
  }
  return chosen.length;
}
