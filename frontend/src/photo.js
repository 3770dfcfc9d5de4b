// Photo mode's requests: upload the photo (and an own style image) under the visitor's prefix in the images
// bucket, ask the paint function URL for a painting, then watch status.json and preview.jpg (written by the
// endpoint's container, stylizer/serving/progress.py) through the presigned URLs the answer carries.
import { randomName } from './aws.js';
import { describeFormat, sniffFormat } from './gifcheck.js';
import { pixelProblem } from './gallery.js';
import { sleep, withNetworkRetries } from './poll.js';
import { readImageSize } from './imagesize.js';
import { formatMegabytes } from './words.js';

const POLL_MS = 700;
const EXTENSIONS = { png: 'png', jpeg: 'jpg' };

/** The photo's problem in plain words, or null. Reads the first bytes only: the size comes from the header. */
export async function checkPhoto(file, limits) {
  if (!file) return 'Choose a photo first (a PNG or JPEG).';
  const head = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  const kind = sniffFormat(head);
  if (kind !== 'png' && kind !== 'jpeg') {
    return `This file is not a photo we can paint (it is ${describeFormat(head)}); choose a PNG or JPEG.`;
  }
  if (file.size > limits.max_bytes) {
    return `The photo is ${formatMegabytes(file.size)}; the limit is ${formatMegabytes(limits.max_bytes)}.`;
  }
  const size = await readImageSize(file);
  if (!size) return 'The photo could not be read; it may be damaged. Try another file.';
  return pixelProblem('photo', size, limits);
}

async function uploadImage(aws, config, identity, file, folder, onProgress) {
  const kind = sniffFormat(new Uint8Array(await file.slice(0, 12).arrayBuffer()));
  const key = `${config.photoPrefix}${identity}/${folder}${randomName()}.${EXTENSIONS[kind]}`;
  return aws.upload({ bucket: config.imagesBucket, key, file, onProgress,
    contentType: kind === 'png' ? 'image/png' : 'image/jpeg' });
}

/**
 * GET a presigned URL; null while the object is not there yet (S3 says 403 or 404 for that). A dropped
 * connection is retried (poll.js): these GETs are idempotent, and the painting goes on without the page.
 */
function fetchIfThere(url) {
  return withNetworkRetries(async () => {
    const response = await fetch(url, { cache: 'no-store' });
    if (response.status === 403 || response.status === 404) return null;
    if (!response.ok) throw new Error(`The painter's storage answered HTTP ${response.status}.`);
    return response;
  });
}

/**
 * Upload `photo` (a Blob already at the painted size) and, for an own style, its image; ask the painter.
 * onUpload(fraction 0..1) follows the bytes. Returns the paint function's answer (request id, presigned URLs).
 */
export async function requestPainting({ aws, config, photo, style, onUpload = () => {} }) {
  const identity = await aws.identityId();
  const styleBytes = style.file ? style.file.size : 0;
  const total = styleBytes + photo.size;
  const styleKey = style.file ? await uploadImage(aws, config, identity, style.file, 'styles/',
    (fraction) => onUpload((fraction * styleBytes) / total)) : null;
  const content = await uploadImage(aws, config, identity, photo, '',
    (fraction) => onUpload((styleBytes + fraction * photo.size) / total));
  const { status, body } = await aws.signedPost(config.paintUrl,
    { content, style: styleKey || style.name, options: config.photoOptions });
  if (status !== 202 || !body) {
    throw new Error(body?.error || `The painter did not accept the request (HTTP ${status}).`);
  }
  return body;
}

/**
 * Follow an accepted request (also one made before a reload) until its painting arrives; `view` gets
 *   view.waiting(seconds), view.status(status), view.preview(objectUrl), view.done(objectUrl, blob)
 * Throws Error with a message for the visitor.
 */
export async function followPainting(answer, view, signal) {
  const waitingSince = Date.now();
  let lastUpdate = null;
  for (;;) {
    if (signal?.aborted) throw new Error('Stopped.');
    const response = await fetchIfThere(answer.progress.status);
    const current = response ? await response.json() : null;
    if (!current) view.waiting((Date.now() - waitingSince) / 1000);
    if (current && current.updated_at !== lastUpdate) {
      lastUpdate = current.updated_at;
      view.status(current);
      if (current.preview_key && current.state !== 'done') {
        const preview = await fetchIfThere(answer.progress.preview);
        if (preview) view.preview(URL.createObjectURL(await preview.blob()));
      }
      if (current.state === 'failed') throw new Error(current.reason || 'The painting failed.');
      if (current.state === 'done') break;
    }
    await sleep(POLL_MS);
  }
  const result = await waitForResult(answer.result);
  view.done(URL.createObjectURL(result), result);
}

// The output object lands just after the final status: wait for it briefly, or read the failure.
async function waitForResult(result, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const output = await fetchIfThere(result.url);
    if (output) return output.blob();
    const failure = result.failure_url ? await fetchIfThere(result.failure_url) : null;
    if (failure) {
      const text = await failure.text();
      let reason = text;
      try { reason = JSON.parse(text).error || text; } catch { /* plain text */ }
      throw new Error(reason);
    }
    await sleep(POLL_MS);
  }
  throw new Error('The painting finished but its image did not arrive; try again.');
}

