import sharp from 'sharp';

const escape = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/** A PNG of black text lines on white, rendered from SVG: demo and test documents with known words. */
export function renderTextImage(lines: readonly string[]): Promise<Buffer> {
  const width = 1000;
  const height = 60 + lines.length * 70;
  const text = lines
    .map(
      (line, i) =>
        `<text x="40" y="${90 + i * 70}" font-family="DejaVu Sans, Arial, sans-serif" font-size="44">${escape(line)}</text>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>${text}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
