// imageSize reads PNG and JPEG headers: the sizes below are real files' (demo/*.png) or built byte by byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { imageSize } from '../src/imagesize.js';

test('a PNG: the IHDR chunk', () => {
  const bytes = new Uint8Array(readFileSync(new URL('../../demo/chelsea.png', import.meta.url)));
  assert.deepEqual(imageSize(bytes), { width: 451, height: 300 });
});

test('a JPEG: skips APP segments (EXIF) to the SOF marker', () => {
  const app1 = [0xff, 0xe1, 0x00, 0x08, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00];
  const sof0 = [0xff, 0xc0, 0x00, 0x11, 0x08, 0x1b, 0x58, 0x24, 0x90, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  const jpeg = new Uint8Array([0xff, 0xd8, ...app1, ...sof0, 0xff, 0xd9]);
  assert.deepEqual(imageSize(jpeg), { width: 9360, height: 7000 }); // 65.5 MP
});

test('a DHT before the SOF is skipped, not taken for a frame header', () => {
  const dht = [0xff, 0xc4, 0x00, 0x05, 0x00, 0x01, 0x02];
  const sof2 = [0xff, 0xc2, 0x00, 0x0b, 0x08, 0x00, 0x20, 0x00, 0x30, 0x01, 1, 0x11, 0];
  assert.deepEqual(imageSize(new Uint8Array([0xff, 0xd8, ...dht, ...sof2])), { width: 48, height: 32 });
});

test('bytes that say nothing: null', () => {
  assert.equal(imageSize(new Uint8Array([])), null);
  assert.equal(imageSize(new TextEncoder().encode('hello, not an image')), null);
  assert.equal(imageSize(new Uint8Array([0xff, 0xd8, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0])), null);
});
