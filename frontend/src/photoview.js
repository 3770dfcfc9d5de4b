// Photo mode as the visitor sees it: choose, paint (upload bar, progress bar with % and time left, previews),
// compare before/after, download as <photo>-<style>.png, share where the browser can. Each problem is shown
// once, next to what caused it. A request survives a reload (session.js).
import { clearChosen, showChosen, wireDrop } from './dropzone.js';
import { downscale } from './downscale.js';
import { checkPhoto, followPainting, requestPainting } from './photo.js';
import { lastRequest, rememberRequest, storedRequest, updateRequest } from './session.js';
import { formatMegabytes, formatTimeLeft, paintingName, secondsLeft } from './words.js';

const $ = (id) => document.getElementById(id);
// Seconds without a status before the page says why it waits: the model starting, or an earlier request.
const PATIENCE_S = 6;
const MIN_SHOWN_PX = 240;

function say(text, kind = 'info') {
  $('photo-message').textContent = text;
  $('photo-message').className = `message ${kind}`;
}

export function wirePhotoMode(config, aws, gallery) {
  let photo = null;
  let photoProblem = null;
  let busy = false;

  const summary = () => {
    const style = gallery.selection();
    $('bar-photo').hidden = !photo;
    if (photo) $('bar-photo').src = $('photo-chosen').src;
    $('bar-style').hidden = !style.thumbnail;
    if (style.thumbnail) $('bar-style').src = style.thumbnail;
    $('photo-summary').textContent = photo
      ? `${photo.name} in ${style.title ? `“${style.title}”` : 'a style still to choose'}`
      : 'Choose a photo and a style.';
  };
  gallery.listeners.push(summary);

  wireDrop($('photo-drop'), $('photo-input'), async (file) => {
    photo = null;
    photoProblem = await checkPhoto(file, config.limits);
    if (photoProblem) {
      clearChosen($('photo-chosen'), $('photo-input')); // the refused picture does not stay
      $('photo-facts').textContent = photoProblem; // once, next to the file, where a phone's screen looks
      $('photo-facts').className = 'facts error';
    } else {
      photo = file;
      showChosen($('photo-chosen'), file);
      $('photo-facts').className = 'facts';
      $('photo-facts').textContent = `${file.name}, ${formatMegabytes(file.size)}`;
    }
    if (!busy) say('');
    summary();
  });

  const view = paintingView(config);
  $('paint').addEventListener('click', async () => {
    if (busy) return;
    const style = gallery.selection();
    if (!photo) {
      $('photo-facts').textContent = photoProblem || 'Choose a photo first (a PNG or JPEG).';
      $('photo-facts').className = 'facts error';
      $('photo-drop').scrollIntoView({ block: 'center' });
      return;
    }
    if (style.error) return gallery.showError(style.error);
    busy = true;
    $('paint').disabled = true;
    const earlier = lastRequest();
    let record = null;
    try {
      view.reset();
      say('Getting your photo ready…');
      const sized = await downscale(photo, config.photoSize);
      view.original(sized.blob);
      say(sized.scaled ? `Uploading your photo, reduced to ${sized.width}×${sized.height} (the size it is painted at)…`
        : 'Uploading your photo…');
      const answer = await requestPainting({ aws, config, photo: sized.blob, style, onUpload: view.uploaded });
      record = { answer, photoName: photo.name, styleName: style.name || style.file.name,
        styleTitle: style.title, state: 'painting', requestedAt: Date.now(), original: await asDataUrl(sized.blob) };
      view.busyWith = earlier?.state === 'painting' && earlier.answer.request_id !== answer.request_id ? earlier : null;
      rememberRequest(record);
      await view.follow(record);
    } catch (error) {
      failed(error, record);
    } finally {
      busy = false;
      $('paint').disabled = false;
    }
  });

  const resumed = storedRequest();
  if (resumed?.state === 'failed') {
    say(`Your last painting failed: ${resumed.reason}`, 'error');
  } else if (resumed) {
    busy = true;
    $('paint').disabled = true;
    view.reset();
    if (resumed.original) $('original').src = resumed.original;
    say(resumed.state === 'painting' ? 'Picking up your painting where it was…' : 'Your last painting:');
    view.follow(resumed).catch((error) => failed(error, resumed))
      .finally(() => { busy = false; $('paint').disabled = false; });
  }
  summary();
}

/** The moments of one painting on the page: what followPainting and the upload report. */
function paintingView(config) {
  const canvas = $('canvas');
  const painting = $('painting');
  let shownPreview = false;
  const view = {
    busyWith: null,
    reset() {
      shownPreview = false;
      canvas.hidden = true;
      $('download').hidden = true;
      $('share').hidden = true;
      $('compare-control').hidden = true;
      $('original').hidden = true;
      $('paint-progress').hidden = true;
      $('result-facts').textContent = '';
      $('photo-upload').hidden = true;
      setSplit(100);
    },
    original(blob) {
      $('original').src = URL.createObjectURL(blob);
    },
    uploaded(fraction) {
      $('photo-upload').hidden = false;
      $('photo-upload-bar').value = fraction;
      say(`Uploading your photo… ${Math.round(fraction * 100)} %`);
    },
    async follow(record) {
      $('photo-upload').hidden = true;
      say('Waiting for the painter to start…');
      await followPainting(record.answer, {
        waiting: (seconds) => {
          if (view.busyWith) {
            say(`The painter is still busy with your earlier request (${view.busyWith.photoName} in ` +
              `“${view.busyWith.styleTitle}”); this one starts as soon as it is done.`);
          } else if (seconds > PATIENCE_S) {
            say('The painter is busy with an earlier request or still starting up; yours starts as soon as it is free.');
          }
        },
        status: (status) => showStatus(status),
        preview: (url) => {
          canvas.hidden = false;
          painting.src = url;
          painting.classList.add('forming');
          if (!shownPreview) canvas.scrollIntoView({ block: 'center', behavior: 'smooth' });
          shownPreview = true;
        },
        done: (url, blob) => showDone(record, url, blob),
      });
    },
  };
  return view;
}

function failed(error, record) {
  const reason = error.message || String(error);
  if (record) updateRequest({ state: 'failed', reason }); // a reload then says so instead of waiting again
  say(reason, 'error');
}

function showStatus(status) {
  if (status.state === 'started') return say('The painter has started.');
  if (status.state !== 'running' && status.state !== 'done') return undefined;
  const total = status.iterations || 0;
  const fraction = total ? Math.min(1, (status.iteration || 0) / total) : 0;
  const left = formatTimeLeft(secondsLeft(fraction, status.elapsed_s));
  $('paint-progress').hidden = false;
  $('paint-bar').value = fraction;
  $('iteration').textContent = `${Math.round(fraction * 100)} %${left ? ` · ${left}` : ''}`;
  say(status.state === 'done' ? 'Finishing…' : 'Painting…');
  return undefined;
}

function showDone(record, url, blob) {
  const painting = $('painting');
  $('canvas').hidden = false;
  $('paint-progress').hidden = true;
  painting.src = url;
  painting.classList.remove('forming');
  const name = paintingName(record.photoName, record.styleName);
  $('download').href = url;
  $('download').download = name;
  $('download').hidden = false;
  painting.decode().catch(() => {}).then(() => {
    const { naturalWidth: width, naturalHeight: height } = painting;
    $('compare').style.maxWidth = `${Math.max(width, MIN_SHOWN_PX)}px`; // its own size, never a thumbnail
    $('result-facts').textContent = `${width}×${height} pixels, ${formatMegabytes(blob.size)} PNG · ${name}`;
    if ($('original').getAttribute('src')) {
      $('original').hidden = false;
      $('compare-control').hidden = false;
    }
  });
  offerShare(blob, name, record.styleTitle);
  updateRequest({ state: 'done' });
  say('Done. Here is your painting.', 'success');
}

function offerShare(blob, name, styleTitle) {
  const file = new File([blob], name, { type: 'image/png' });
  const share = $('share');
  share.hidden = !(navigator.canShare && navigator.canShare({ files: [file] }));
  share.onclick = () => navigator.share({ files: [file], title: `My photo in the style of ${styleTitle}` })
    .catch(() => {}); // the visitor closed the share sheet
}

function setSplit(percent) {
  $('compare').style.setProperty('--split', `${percent}%`);
  $('compare-slider').value = String(percent);
}

export function wireCompare() {
  $('compare-slider').addEventListener('input', (event) => setSplit(Number(event.target.value)));
}

function asDataUrl(blob) {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => resolve(null);
    reader.readAsDataURL(blob);
  });
}
