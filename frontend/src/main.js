// The page: load config.json, build the gallery and credits, wire the two modes. Each mode's view lives in
// photoview.js / gifview.js (their requests in photo.js / gifmode.js); this file only starts them.
import { connect } from './aws.js';
import { ConfigError, loadConfig } from './config.js';
import { element, Gallery } from './gallery.js';
import { wireGifMode } from './gifview.js';
import { wireCompare, wirePhotoMode } from './photoview.js';

const $ = (id) => document.getElementById(id);

function setMode(mode) {
  document.body.dataset.mode = mode;
  for (const tab of document.querySelectorAll('.modes button')) {
    tab.setAttribute('aria-pressed', String(tab.dataset.mode === mode));
  }
}

function listCredits(styles) {
  $('credits').replaceChildren(...styles.map((style) =>
    element('li', {}, `${style.credit || style.title}${style.licence ? ` — ${style.licence}` : ''}`)));
}

async function start() {
  for (const tab of document.querySelectorAll('.modes button')) {
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
  wireCompare();
  wirePhotoMode(config, aws, gallery);
  wireGifMode(config, aws, gallery);
  document.body.dataset.ready = 'true'; // tests wait for this
}

start();
