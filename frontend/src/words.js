// Numbers in the words the pipeline uses (stylizer/limits.py `_megabytes`, `_seconds`), so a limit reads the
// same on the page, in the email and on the command line.
const MEGABYTE = 1_000_000; // decimal, as people and browsers count file sizes

export function formatMegabytes(size) {
  if (size < MEGABYTE) return `${size.toLocaleString('en-US')} bytes`;
  return `${(size / MEGABYTE).toFixed(1)} MB`.replace('.0 MB', ' MB');
}

export function formatSeconds(durationMs) {
  return `${(durationMs / 1000).toFixed(1)} s`.replace('.0 s', ' s');
}

/** "12 frames, 1.2 s, 120x90" for a checked GIF. */
export function describeGif(info) {
  const frames = info.frames === 1 ? '1 frame' : `${info.frames} frames`;
  return `${frames}, ${formatSeconds(info.durationMs)}, ${info.width}x${info.height} pixels, ${formatMegabytes(info.bytes)}`;
}

/** "about 40 s left", "about 2 minutes left": a promise people can plan by, not a stopwatch. */
export function formatTimeLeft(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 55) return `about ${Math.max(5, Math.round(seconds / 5) * 5)} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `about ${minutes} minute${minutes === 1 ? '' : 's'} left`;
  return `about ${Math.round(minutes / 60)} hours left`;
}

/** A progress line's time left from what is done so far: elapsed · (1 − f) / f; null until it means something. */
export function secondsLeft(fraction, elapsedS) {
  if (!(fraction > 0.02) || !(elapsedS > 0) || fraction >= 1) return null;
  return elapsedS * (1 - fraction) / fraction;
}

/** "chelsea-starry-night.png": the photo's name and the style's, as people name files. */
export function paintingName(photoName, styleName, extension = 'png') {
  const stem = (name) => String(name || '').replace(/\.[^.]*$/, '').replace(/[_\s]+/g, '-')
    .replace(/[^\p{L}\p{N}.-]+/gu, '').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return `${stem(photoName) || 'painting'}-${stem(styleName) || 'style'}.${extension}`;
}
