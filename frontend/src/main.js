// The page: load config.json, build the gallery and credits, wire the two modes. Each mode's work lives in
// photo.js / gifmode.js; this file only turns their moments into what the visitor sees.
import { connect } from './aws.js';
import { ConfigError, loadConfig } from './config.js';
import { checkGif, GifRefused } from './gifcheck.js';
import { checkEmail, followExecution, sendGif } from './gifmode.js';
import { element, Gallery } from './gallery.js';
import { checkPhoto, paintPhoto } from './photo.js';
import { describeGif, formatMegabytes, formatSeconds } from './words.js';

const $ = (id) => document.getElementById(id);

function say(node, text, kind = 'info') {
  node.textContent = text;
  node.className = `message ${kind}`;
}

function setMode(mode) {
  document.body.dataset.mode = mode;
  for (const tab of document.querySelectorAll('.modes [role=tab]')) {
    tab.setAttribute('aria-selected', String(tab.dataset.mode === mode));
  }
}

/** A drop zone: clicking opens the file chooser (it is a <label>), dropping a file sets the input's files. */
function wireDrop(zone, input, onFile) {
  zone.addEventListener('dragover', (event) => { event.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    if (event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      onFile(input.files[0]);
    }
  });
  input.addEventListener('change', () => onFile(input.files[0]));
}

function showRefusal(node, text) {
  node.textContent = text;
  node.className = 'facts error';
}

function showChosen(img, file) {
  img.src = URL.createObjectURL(file);
  img.hidden = false;
  img.parentElement.classList.add('chosen');
}

function listCredits(styles) {
  $('credits').replaceChildren(...styles.map((style) =>
    element('li', {}, `${style.credit || style.title}${style.licence ? ` — ${style.licence}` : ''}`)));
}

function wirePhotoMode(config, aws, gallery) {
  let photo = null;
  wireDrop($('photo-drop'), $('photo-input'), async (file) => {
    photo = null;
    const problem = await checkPhoto(file, config.limits);
    if (problem) {
      showRefusal($('photo-facts'), problem); // next to the file, where a phone's screen is looking
      say($('photo-message'), problem, 'error');
      return;
    }
    photo = file;
    showChosen($('photo-chosen'), file);
    $('photo-facts').className = 'facts';
    $('photo-facts').textContent = `${file.name}, ${formatMegabytes(file.size)}`;
    say($('photo-message'), '');
  });

  $('paint').addEventListener('click', async () => {
    const style = gallery.selection();
    const problem = photo ? style.error : await checkPhoto($('photo-input').files[0], config.limits);
    if (problem) return say($('photo-message'), problem, 'error');
    $('paint').disabled = true;
    $('canvas').hidden = true;
    $('download').hidden = true;
    const view = {
      stage: (text) => say($('photo-message'), text),
      status: (status) => {
        const of = status.iterations ? ` of ${status.iterations}` : '';
        if (status.state === 'running' || status.state === 'done') {
          $('iteration').textContent = `Iteration ${status.iteration ?? 0}${of} · ${Math.round(status.elapsed_s ?? 0)} s`;
          say($('photo-message'), status.state === 'done' ? 'Finishing…' : 'Painting…');
        } else if (status.state === 'started') {
          say($('photo-message'), 'The painter has started.');
        }
      },
      preview: (url) => {
        $('canvas').hidden = false;
        $('painting').src = url;
        $('painting').classList.add('forming');
      },
      done: (url) => {
        $('canvas').hidden = false;
        $('painting').src = url;
        $('painting').classList.remove('forming');
        $('download').href = url;
        $('download').hidden = false;
        say($('photo-message'), 'Done. Here is your painting.', 'success');
      },
    };
    try {
      await paintPhoto({ aws, config, file: photo, style, view });
    } catch (error) {
      say($('photo-message'), error.message || String(error), 'error');
    } finally {
      $('paint').disabled = false;
    }
  });
}

function wireGifMode(config, aws, gallery) {
  const limits = config.limits;
  $('gif-limits').textContent = `Up to ${formatMegabytes(limits.max_bytes)}, ${limits.max_frames} frames, ` +
    `${formatSeconds(limits.max_duration_ms)} and ${limits.max_side} pixels on the longest side.`;
  let gif = null;
  let gifProblem = null; // the refusal of the last GIF chosen, repeated if Send is pressed anyway
  wireDrop($('gif-drop'), $('gif-input'), async (file) => {
    gif = null;
    gifProblem = null;
    $('gif-facts').textContent = '';
    if (!file) return;
    try {
      // The whole file: counting frames needs every block header (max_bytes bounds what is read).
      const info = checkGif(new Uint8Array(await file.slice(0, limits.max_bytes + 1).arrayBuffer()), limits);
      gif = file;
      showChosen($('gif-chosen'), file);
      $('gif-facts').className = 'facts';
      $('gif-facts').textContent = describeGif(info);
      say($('gif-message'), '');
    } catch (error) {
      if (!(error instanceof GifRefused)) throw error;
      gifProblem = error.message;
      showRefusal($('gif-facts'), gifProblem);
      say($('gif-message'), gifProblem, 'error');
    }
  });

  $('send').addEventListener('click', async () => {
    const style = gallery.selection();
    const problem = gifProblem || (!gif && 'Choose an animated GIF first.') || checkEmail($('email').value, config.email)
      || style.error;
    if (problem) return say($('gif-message'), problem, 'error');
    const email = $('email').value.trim();
    $('send').disabled = true;
    $('upload-progress').hidden = false;
    $('upload-progress').value = 0;
    say($('gif-message'), 'Uploading…');
    try {
      const key = await sendGif({ aws, config, file: gif, email, style,
        onProgress: (fraction) => {
          $('upload-progress').value = fraction;
          say($('gif-message'), `Uploading… ${Math.round(fraction * 100)} %`);
        } });
      say($('gif-message'), `Uploaded. An email to ${email} confirms it in a minute; another brings the painted GIF when it is done.`, 'success');
      await followExecution(config, key, (update) => {
        $('execution').textContent = update.description;
        $('execution').dataset.state = update.status;
      });
    } catch (error) {
      say($('gif-message'), `The upload failed: ${error.message || error}`, 'error');
    } finally {
      $('send').disabled = false;
    }
  });
}

async function start() {
  for (const tab of document.querySelectorAll('.modes [role=tab]')) {
    tab.addEventListener('click', () => setMode(tab.dataset.mode));
  }
  let config;
  try {
    config = await loadConfig();
  } catch (error) {
    const shown = error instanceof ConfigError ? error.message : String(error);
    $('config-error').textContent = `The page is not set up: ${shown}`;
    $('config-error').hidden = false;
    return;
  }
  const aws = connect(config);
  const gallery = new Gallery($('gallery'), config.styles, config.limits);
  listCredits(config.styles);
  wirePhotoMode(config, aws, gallery);
  wireGifMode(config, aws, gallery);
  document.body.dataset.ready = 'true'; // tests wait for this
}

start();
