// The page's words for time left, progress and file names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTimeLeft, paintingName, secondsLeft } from '../src/words.js';

test('time left in plain words', () => {
  assert.equal(formatTimeLeft(12), 'about 10 s left');
  assert.equal(formatTimeLeft(2), 'about 5 s left');
  assert.equal(formatTimeLeft(61), 'about 1 minute left');
  assert.equal(formatTimeLeft(130), 'about 2 minutes left');
  assert.equal(formatTimeLeft(3 * 3600), 'about 3 hours left');
  assert.equal(formatTimeLeft(NaN), '');
});

test('seconds left from the fraction done and the time spent', () => {
  assert.equal(secondsLeft(0.25, 10), 30);
  assert.equal(secondsLeft(0, 10), null); // nothing done: no promise
  assert.equal(secondsLeft(1, 10), null);
});

test('downloads are named after the photo and the style', () => {
  assert.equal(paintingName('chelsea.png', 'starry_night'), 'chelsea-starry-night.png');
  assert.equal(paintingName('IMG 0042.JPG', 'my own style.jpeg'), 'IMG-0042-my-own-style.png');
  assert.equal(paintingName('Tänzer.gif', 'the_scream', 'gif'), 'Tänzer-the-scream.gif');
  assert.equal(paintingName('', ''), 'painting-style.png');
});
