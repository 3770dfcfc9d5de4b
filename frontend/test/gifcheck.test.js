// The page's GIF checker against the same files and refusals as the pipeline's (tests/unit/test_limits_and_header.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatMegabytes } from '../src/words.js';
import { checkGif, describeFormat, GifRefused, sniffFormat } from '../src/gifcheck.js';

const ROOT = new URL('../../', import.meta.url);
const DEFAULT_LIMITS = { max_bytes: 20_000_000, max_frames: 300, max_duration_ms: 30_000,
  max_screen_pixels: 1024 * 1024, max_side: 1024, max_image_pixels: 25_000_000 };
const read = (path) => new Uint8Array(readFileSync(new URL(path, ROOT)));

/** A GIF built block by block: width x height screen, one frame per delay (centiseconds). */
function buildGif({ width = 4, height = 3, delaysCs = [10, 10], loop = 0, trailer = true } = {}) {
  const out = [...Buffer.from('GIF89a'), width & 255, width >> 8, height & 255, height >> 8, 0x80, 0, 0];
  out.push(0, 0, 0, 255, 255, 255); // global colour table of 2 colours
  if (loop !== null) out.push(0x21, 0xff, 11, ...Buffer.from('NETSCAPE2.0'), 3, 1, loop & 255, loop >> 8, 0);
  for (const delay of delaysCs) {
    out.push(0x21, 0xf9, 4, 0, delay & 255, delay >> 8, 0, 0);
    out.push(0x2c, 0, 0, 0, 0, width & 255, width >> 8, height & 255, height >> 8, 0);
    out.push(2, 2, 0x44, 0x01, 0); // LZW code size, one sub-block of 2 bytes, terminator
  }
  if (trailer) out.push(0x3b);
  return new Uint8Array(out);
}

function refusal(bytes, limits = DEFAULT_LIMITS) {
  assert.throws(() => checkGif(bytes, limits), GifRefused);
  try { checkGif(bytes, limits); } catch (error) { return error.message; }
}

test('reads the same facts as stylizer.gifheader.scan_gif from the test GIFs', () => {
  // Values printed by scan_gif for these files.
  assert.deepEqual(checkGif(read('tests/data/muybridge_tiny.gif'), DEFAULT_LIMITS),
    { width: 30, height: 20, frames: 15, durationMs: 1500, loop: 0, bytes: 9828 });
  assert.deepEqual(checkGif(read('demo/newtonscradle.gif'), DEFAULT_LIMITS),
    { width: 200, height: 150, frames: 36, durationMs: 820, loop: 0, bytes: 583374 });
});

test('counts delays of 0 and 1 centisecond as 100 ms, as browsers play them', () => {
  assert.equal(checkGif(buildGif({ delaysCs: [0, 1, 2] }), DEFAULT_LIMITS).durationMs, 100 + 100 + 20);
});

test('accepts a GIF without trailer, and reports no loop block as null', () => {
  const info = checkGif(buildGif({ trailer: false, loop: null }), DEFAULT_LIMITS);
  assert.equal(info.frames, 2);
  assert.equal(info.loop, null);
});

test('refuses what is not a GIF, naming what it looks like', () => {
  const png = read('demo/chelsea.png');
  assert.equal(sniffFormat(png), 'png');
  assert.equal(refusal(png), 'This file is not a GIF (it looks like a PNG image).');
  assert.equal(refusal(new TextEncoder().encode('hello, world')),
    'This file is not a GIF (it is not an image format we recognise).');
  assert.equal(refusal(new Uint8Array()), 'The file is empty; a GIF was expected.');
  assert.equal(describeFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), 'a JPEG image');
});

test('refuses each limit with the pipeline\'s sentence', () => {
  const gif = buildGif({ delaysCs: [50, 50, 50] });
  assert.equal(refusal(gif, { ...DEFAULT_LIMITS, max_bytes: 50 }), `The GIF is ${gif.length} bytes; the limit is 50 bytes.`);
  assert.equal(refusal(read('demo/newtonscradle.gif'), { ...DEFAULT_LIMITS, max_bytes: 500_000 }),
    'The GIF is 583,374 bytes; the limit is 500,000 bytes.');
  assert.equal(formatMegabytes(25_300_000), '25.3 MB'); // README's example of the pipeline's wording
  assert.equal(formatMegabytes(20_000_000), '20 MB');
  assert.equal(refusal(gif, { ...DEFAULT_LIMITS, max_frames: 2 }), 'The GIF has more than 2 frames; the limit is 2.');
  assert.equal(refusal(gif, { ...DEFAULT_LIMITS, max_duration_ms: 1000 }), 'The GIF lasts more than 1 s; the limit is 1 s.');
  assert.equal(refusal(buildGif({ width: 2000, height: 10 })),
    'The GIF is 2000x10 pixels; the limit is 1024 pixels on the longest side.');
  assert.equal(refusal(buildGif({ width: 1000, height: 1100 }), { ...DEFAULT_LIMITS, max_side: 2000 }),
    'The GIF is 1000x1100 = 1,100,000 pixels; the limit is 1,048,576 pixels.');
});

test('refuses a huge logical screen from the header alone', () => {
  const header = buildGif({ width: 65535, height: 65535 }).subarray(0, 13);
  assert.match(refusal(header), /65535x65535 pixels/);
});

test('refuses truncated and malformed files', () => {
  const gif = buildGif();
  assert.equal(refusal(gif.subarray(0, 10)), 'The GIF is truncated: it ends after 10 bytes, inside its header.');
  assert.equal(refusal(gif.subarray(0, 19)), 'The GIF is truncated: it ends before its first frame.');
  assert.match(refusal(gif.subarray(0, gif.length - 3)), /^The GIF is truncated: it ends inside the pixel data of frame 2/);
  const broken = Uint8Array.from([...gif.subarray(0, 19), 0x99]);
  assert.equal(refusal(broken), 'The GIF is malformed: unexpected byte 0x99 at offset 19 where a block should start.');
});
