/** The accepted upload types, recognized by their first bytes (the client's Content-Type is not trusted). */
export const IMAGE_TYPES = [
  { mime: 'image/png', ext: 'png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mime: 'image/jpeg', ext: 'jpg', magic: [0xff, 0xd8, 0xff] },
] as const;

export type ImageType = (typeof IMAGE_TYPES)[number];

export function sniffImageType(bytes: Buffer): ImageType | undefined {
  return IMAGE_TYPES.find((type) => type.magic.every((byte, i) => bytes[i] === byte));
}
