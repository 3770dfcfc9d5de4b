// A PNG's or JPEG's width and height from its first bytes, without decoding a pixel: a 48 MP phone photo or
// style image is measured (and refused, or planned for) in a millisecond, as the pipeline's header checks do.

/** {width, height} from a PNG's IHDR or a JPEG's first SOFn marker; null when the bytes do not say. */
export function imageSize(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 24 && bytes[0] === 0x89 && bytes[1] === 0x50) {
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return null; // lost in the stream: the file is damaged
    const marker = bytes[at + 1];
    if (marker === 0xff) { at += 1; continue; } // fill byte
    const length = view.getUint16(at + 2);
    // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { width: view.getUint16(at + 7), height: view.getUint16(at + 5) };
    }
    at += 2 + length;
  }
  return null;
}

/** How many bytes to read for imageSize: a JPEG's EXIF thumbnail can put the frame header 64 kB in. */
export const SIZE_BYTES = 256 * 1024;

export async function readImageSize(file) {
  return imageSize(new Uint8Array(await file.slice(0, SIZE_BYTES).arrayBuffer()));
}
