// The GIF checks the pipeline makes (containers/stylizer/stylizer/gifheader.py), run in the browser before
// uploading, so a person learns in a millisecond what the validate Lambda would say in an email a minute later.
// Same order, same limits (config.json carries Limits.as_dict()), same wording. Pixels are never decoded: the
// walk reads block headers and skips LZW sub-blocks by their length bytes.
import { formatMegabytes, formatSeconds } from './words.js';

// Browsers play a delay of 0 or 1 centisecond as 100 ms (old GIFs meant "as fast as possible"); the
// pipeline counts durations as people will see them, and so do we.
const BROWSER_MIN_DELAY_CS = 2;
const BROWSER_DEFAULT_DELAY_MS = 100;
const FORMAT_NAMES = { gif: 'GIF', png: 'PNG', jpeg: 'JPEG', webp: 'WebP' };

/** A refusal the person can act on; `message` is the sentence to show. */
export class GifRefused extends Error {}

/** "gif" | "png" | "jpeg" | "webp" | null from the first bytes (magic numbers). */
export function sniffFormat(bytes) {
  const ascii = (start, end) => String.fromCharCode(...bytes.subarray(start, end));
  if (bytes.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'gif';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((value, i) => bytes[i] === value)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  return null;
}

/** Plain words for what the bytes are, for "This file is not a GIF (it looks like a PNG image)." */
export function describeFormat(bytes) {
  if (bytes.length === 0) return 'empty';
  const kind = sniffFormat(bytes);
  return kind ? `a ${FORMAT_NAMES[kind]} image` : 'not an image format we recognise';
}

function browserDelayMs(delayCs) {
  return delayCs < BROWSER_MIN_DELAY_CS ? BROWSER_DEFAULT_DELAY_MS : delayCs * 10;
}

function colourTableBytes(packed) {
  return packed & 0x80 ? 3 * (2 << (packed & 0x07)) : 0;
}

function checkScreen(width, height, limits) {
  if (Math.max(width, height) > limits.max_side) {
    throw new GifRefused(`The GIF is ${width}x${height} pixels; the limit is ${limits.max_side} pixels on the longest side.`);
  }
  if (width * height > limits.max_screen_pixels) {
    throw new GifRefused(`The GIF is ${width}x${height} = ${(width * height).toLocaleString('en-US')} pixels; ` +
      `the limit is ${limits.max_screen_pixels.toLocaleString('en-US')} pixels.`);
  }
}

/**
 * Validate a GIF (Uint8Array) against `limits` (config.json's limits). Returns
 * {width, height, frames, durationMs, loop, bytes}; throws GifRefused with the pipeline's sentence.
 */
export function checkGif(bytes, limits) {
  if (sniffFormat(bytes) !== 'gif') {
    if (bytes.length === 0) throw new GifRefused('The file is empty; a GIF was expected.');
    const kind = sniffFormat(bytes);
    const looks = kind ? `it looks like a ${FORMAT_NAMES[kind]} image` : 'it is not an image format we recognise';
    throw new GifRefused(`This file is not a GIF (${looks}).`);
  }
  if (bytes.length > limits.max_bytes) {
    throw new GifRefused(`The GIF is ${formatMegabytes(bytes.length)}; the limit is ${formatMegabytes(limits.max_bytes)}.`);
  }
  if (bytes.length < 13) {
    throw new GifRefused(`The GIF is truncated: it ends after ${bytes.length} bytes, inside its header.`);
  }
  const width = bytes[6] | (bytes[7] << 8);
  const height = bytes[8] | (bytes[9] << 8);
  if (width === 0 || height === 0) {
    throw new GifRefused(`The GIF's screen is ${width}x${height} pixels; it has no picture area.`);
  }
  checkScreen(width, height, limits);
  return walkBlocks(bytes, width, height, limits);
}

// Bounds-checked reading; running off the end means the file is truncated.
class Cursor {
  constructor(bytes, pos) { this.bytes = bytes; this.pos = pos; }

  take(count, what) {
    const end = this.pos + count;
    if (end > this.bytes.length) {
      throw new GifRefused(`The GIF is truncated: it ends inside ${what} (byte ${this.bytes.length} of ${end} needed).`);
    }
    const chunk = this.bytes.subarray(this.pos, end);
    this.pos = end;
    return chunk;
  }

  byte(what) { return this.take(1, what)[0]; }

  atEnd() { return this.pos >= this.bytes.length; }

  // Data sub-blocks: a size byte, then that many bytes, up to a zero size.
  skipSubBlocks(what) {
    const { bytes } = this;
    let pos = this.pos;
    for (;;) {
      if (pos >= bytes.length) throw new GifRefused(`The GIF is truncated: it ends inside ${what}.`);
      const size = bytes[pos];
      pos += 1 + size;
      if (size === 0) break;
    }
    if (pos > bytes.length) throw new GifRefused(`The GIF is truncated: it ends inside ${what}.`);
    this.pos = pos;
  }
}

function walkBlocks(bytes, width, height, limits) {
  const cursor = new Cursor(bytes, 13);
  cursor.take(colourTableBytes(bytes[10]), 'the global colour table');
  let frames = 0;
  let durationMs = 0;
  let loop = null;
  let pendingDelayCs = 0; // a Graphics Control Extension applies to the next image only
  for (;;) {
    if (cursor.atEnd()) {
      // Many encoders omit the trailer; browsers show such files, so only a GIF with no frame is refused.
      if (frames === 0) throw new GifRefused('The GIF is truncated: it ends before its first frame.');
      break;
    }
    const introducer = cursor.byte('a block');
    if (introducer === 0x3b) break; // trailer
    if (introducer === 0x21) {
      const label = cursor.byte('an extension block');
      if (label === 0xf9) { // Graphics Control Extension: packed, delay (little-endian, cs), transparent index
        const body = cursor.take(cursor.byte('a graphics control block'), 'a graphics control block');
        if (body.length >= 3) pendingDelayCs = body[1] | (body[2] << 8);
        cursor.skipSubBlocks('a graphics control block');
      } else if (label === 0xff) { // Application Extension: identifier, then data sub-blocks
        const identifier = cursor.take(cursor.byte('an application block'), 'an application block');
        const name = String.fromCharCode(...identifier);
        if (name === 'NETSCAPE2.0' || name === 'ANIMEXTS1.0') loop = readLoop(cursor, loop);
        else cursor.skipSubBlocks('an application block');
      } else { // comment, plain text or unknown
        cursor.skipSubBlocks('an extension block');
      }
    } else if (introducer === 0x2c) { // image descriptor
      const descriptor = cursor.take(9, 'an image descriptor');
      cursor.take(colourTableBytes(descriptor[8]), 'a local colour table');
      cursor.byte("an image's LZW code size");
      cursor.skipSubBlocks(`the pixel data of frame ${frames + 1}`);
      frames += 1;
      durationMs += browserDelayMs(pendingDelayCs);
      pendingDelayCs = 0;
      // Running totals: stop at the first frame over a limit, as the pipeline does.
      if (frames > limits.max_frames) {
        throw new GifRefused(`The GIF has more than ${limits.max_frames} frames; the limit is ${limits.max_frames}.`);
      }
      if (durationMs > limits.max_duration_ms) {
        const limit = formatSeconds(limits.max_duration_ms);
        throw new GifRefused(`The GIF lasts more than ${limit}; the limit is ${limit}.`);
      }
    } else {
      const hex = introducer.toString(16).toUpperCase().padStart(2, '0');
      throw new GifRefused(`The GIF is malformed: unexpected byte 0x${hex} at offset ${cursor.pos - 1} where a block should start.`);
    }
  }
  return { width, height, frames, durationMs, loop, bytes: bytes.length };
}

// NETSCAPE2.0 data: sub-block [1, count lo, count hi]; count 0 = loop forever.
function readLoop(cursor, loop) {
  for (;;) {
    const size = cursor.byte('the loop block');
    if (size === 0) return loop;
    const body = cursor.take(size, 'the loop block');
    if (size >= 3 && body[0] === 1) loop = body[1] | (body[2] << 8);
  }
}
