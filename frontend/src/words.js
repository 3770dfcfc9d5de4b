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
