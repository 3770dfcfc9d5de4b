// GIF mode as the visitor sees it: the GIF checked in the page, the address checked by the pipeline's rule,
// the upload's progress, then (where the page can follow the execution) the job's progress in words and
// the animated result with a download button. Each problem is shown once, next to its cause.
import { clearChosen, showChosen, wireDrop } from './dropzone.js';
import { checkGif, GifRefused } from './gifcheck.js';
import { checkEmail, followExecution, sendGif } from './gifmode.js';
import { describeGif, formatMegabytes, formatSeconds } from './words.js';

const $ = (id) => document.getElementById(id);
const MIN_SHOWN_PX = 240;

function say(text, kind = 'info') {
  $('gif-message').textContent = text;
  $('gif-message').className = `message ${kind}`;
}

function showFacts(text, refused) {
  $('gif-facts').textContent = text;
  $('gif-facts').className = refused ? 'facts error' : 'facts';
}

export function wireGifMode(config, aws, gallery) {
  const limits = config.limits;
  $('gif-limits').textContent = `Up to ${formatMegabytes(limits.max_bytes)}, ${limits.max_frames} frames, ` +
    `${formatSeconds(limits.max_duration_ms)} and ${limits.max_side} pixels on the longest side.`;
  let gif = null;
  let gifProblem = null; // the refusal of the last GIF chosen, shown again if Send is pressed anyway

  const summary = () => {
    const style = gallery.selection();
    $('bar-gif').hidden = !gif;
    if (gif) $('bar-gif').src = $('gif-chosen').src;
    $('bar-gif-style').hidden = !style.thumbnail;
    if (style.thumbnail) $('bar-gif-style').src = style.thumbnail;
    $('gif-summary').textContent = gif ? `${gif.name} in “${style.title || '…'}”`
      : 'Choose a GIF, a style and your email address.';
  };
  gallery.listeners.push(summary);

  wireDrop($('gif-drop'), $('gif-input'), async (file) => {
    gif = null;
    gifProblem = null;
    showFacts('', false);
    if (!file) return;
    try {
      // The whole file: counting frames needs every block header (max_bytes bounds what is read).
      const info = checkGif(new Uint8Array(await file.slice(0, limits.max_bytes + 1).arrayBuffer()), limits);
      gif = file;
      showChosen($('gif-chosen'), file);
      showFacts(describeGif(info), false);
    } catch (error) {
      if (!(error instanceof GifRefused)) throw error;
      gifProblem = error.message;
      clearChosen($('gif-chosen'), $('gif-input'));
      showFacts(gifProblem, true);
    }
    summary();
  });
  $('email').addEventListener('input', () => { $('email-error').textContent = ''; });

  $('send').addEventListener('click', async () => {
    const style = gallery.selection();
    if (!gif) {
      showFacts(gifProblem || 'Choose an animated GIF first.', true);
      return $('gif-drop').scrollIntoView({ block: 'center' });
    }
    const emailProblem = checkEmail($('email').value, config.email);
    if (emailProblem) {
      $('email-error').textContent = emailProblem;
      $('email').setAttribute('aria-invalid', 'true');
      return $('email').focus();
    }
    $('email').removeAttribute('aria-invalid');
    if (style.error) return gallery.showError(style.error);
    const email = $('email').value.trim();
    $('send').disabled = true;
    $('upload-progress').hidden = false;
    $('upload-progress').value = 0;
    $('gif-result').hidden = true;
    say('Uploading…');
    try {
      const key = await sendGif({ aws, config, file: gif, email, style,
        onProgress: (fraction) => {
          $('upload-progress').value = fraction;
          say(`Uploading… ${Math.round(fraction * 100)} %`);
        } });
      $('upload-progress').hidden = true;
      say(`Uploaded. An email to ${email} asks you to confirm: nothing is painted until you press the button behind its link. Another brings the painted GIF when it is done.`,
        'success');
      await followExecution(config, key, showExecution);
    } catch (error) {
      say(`The upload failed: ${error.message || error}`, 'error');
    } finally {
      $('send').disabled = false;
    }
    return undefined;
  });
}

/** One answer of the local execution status (pipeline/local/web.py ExecutionStatus). */
function showExecution(update) {
  $('execution').textContent = update.description;
  $('execution').dataset.state = update.status;
  const progress = update.progress;
  $('gif-progress').hidden = !(progress && update.status === 'RUNNING');
  if (progress) $('gif-bar').value = progress.fraction;
  const result = update.result;
  if (result?.gif_url) {
    // Its own size, but never a thumbnail: a small GIF is shown at least MIN_SHOWN_PX wide.
    $('gif-painting').onload = (event) => {
      event.target.style.width = `${Math.max(event.target.naturalWidth, MIN_SHOWN_PX)}px`;
    };
    $('gif-painting').src = result.gif_url;
    $('gif-download').href = result.download_url || result.gif_url;
    $('gif-download').setAttribute('download', result.download_name || '');
    $('gif-download').hidden = false;
    $('gif-result').hidden = false;
    $('gif-result').scrollIntoView({ block: 'center', behavior: 'smooth' });
  }
}
