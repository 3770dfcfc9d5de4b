// GIF mode: check the GIF in the page (same limits and words as the pipeline), upload it with the email and
// style as S3 metadata (what validate_upload reads), then the pipeline takes over and answers by email.
import { randomName } from './aws.js';
import { sniffFormat } from './gifcheck.js';

const POLL_MS = 1500;

/**
 * The pipeline's own rule (config.json `email`, from lambdas/shared/addresses.py), so an address the page
 * accepts is one validate_upload accepts: a refused address is refused before anything is uploaded.
 */
export function checkEmail(address, rule) {
  const value = (address || '').trim();
  if (!value) return 'Enter your email address: the painted GIF is sent there.';
  if ((address || '').length > rule.max_length) {
    return `The email address is longer than ${rule.max_length} characters.`;
  }
  if (!new RegExp(rule.pattern).test(value)) {
    return `“${value}” is not an email address we can send to (expected name@example.com; plain ASCII letters, ` +
      'digits and . - _ + only).';
  }
  return null;
}

/**
 * Upload a checked GIF. style is {name} or {file}; onProgress(fraction). Returns the GIF's key.
 * An own style image goes first, under the style prefix (uploading it does not start the pipeline), so the
 * GIF's metadata can name it: style = "upload:<key>".
 */
export async function sendGif({ aws, config, file, email, style, onProgress }) {
  const identity = await aws.identityId();
  let styleValue = style.name;
  if (style.file) {
    const kind = sniffFormat(new Uint8Array(await style.file.slice(0, 12).arrayBuffer()));
    const key = `${config.styleUploadPrefix}${identity}/${randomName()}.${kind === 'png' ? 'png' : 'jpg'}`;
    await aws.upload({ bucket: config.uploadsBucket, key, file: style.file, contentType: `image/${kind}` });
    styleValue = `upload:${key}`;
  }
  const key = `${config.gifPrefix}${identity}/${randomName()}.gif`;
  // The visitor's own file name for the emails and the download (the key is random); S3 metadata travels as
  // HTTP headers, which only carry ASCII: percent-encoded, validate_upload decodes it.
  await aws.upload({ bucket: config.uploadsBucket, key, file, contentType: 'image/gif',
    metadata: { email: email.trim(), style: styleValue, filename: encodeURIComponent(file.name || 'animation.gif') },
    onProgress });
  return key;
}

/**
 * Local stack only: follow the execution the upload started (`executionStatusUrl` in config.json).
 * onUpdate({status, state, done}) until the execution ends; AWS deployments leave the email to say it.
 */
export async function followExecution(config, key, onUpdate, signal) {
  if (!config.executionStatusUrl) return null;
  for (;;) {
    if (signal?.aborted) return null;
    const url = `${config.executionStatusUrl}?key=${encodeURIComponent(key)}`;
    const response = await fetch(url, { cache: 'no-store' });
    if (response.ok) {
      const update = await response.json();
      onUpdate(update);
      if (update.done) return update;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
