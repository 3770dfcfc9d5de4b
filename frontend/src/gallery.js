// The style gallery: one card per catalogue painting (thumbnail, title, artist, year, credit) and a last card
// for the visitor's own style image. Both modes share it; `selection()` says what was picked.
import { sniffFormat } from './gifcheck.js';
import { readImageSize } from './imagesize.js';
import { formatMegabytes } from './words.js';

const OWN = '__own__';

export class Gallery {
  constructor(root, styles, limits, onChange = () => {}) {
    this.root = root;
    this.limits = limits;
    this.onChange = onChange;
    this.ownFile = null;
    root.replaceChildren(...styles.map((style, index) => this.card(style, index === 0)), this.ownCard());
    root.addEventListener('change', () => this.onChange(this.selection()));
  }

  card(style, checked) {
    const label = element('label', { class: 'style-card' });
    const radio = element('input', { type: 'radio', name: 'style', value: style.name });
    radio.checked = checked;
    const image = element('img', { src: style.thumbnail || `styles/${style.name}.jpg`, alt: style.title, loading: 'lazy' });
    const caption = element('span', { class: 'style-caption' });
    caption.append(element('strong', {}, style.title),
      element('span', {}, [style.artist, style.year].filter(Boolean).join(', ')));
    label.title = style.credit ? `${style.credit}; ${style.licence || ''}` : style.title;
    label.append(radio, image, caption);
    return label;
  }

  // A <div>, not a <label>: its label is the file chooser, and choosing a file selects the card's radio.
  ownCard() {
    const card = element('div', { class: 'style-card own-style' });
    const radio = element('input', { type: 'radio', name: 'style', value: OWN, 'aria-label': 'Your own style image' });
    const chooser = element('label', { class: 'own-chooser' });
    this.ownPreview = element('img', { alt: 'Your own style image', hidden: '' });
    this.ownHint = element('span', { class: 'own-hint' }, '+ Use my own style image');
    this.ownInput = element('input', { type: 'file', accept: 'image/png,image/jpeg', class: 'own-input' });
    this.ownInput.addEventListener('change', () => this.takeOwnFile(this.ownInput.files[0], radio));
    chooser.append(this.ownInput, this.ownPreview, this.ownHint);
    this.ownError = element('span', { class: 'own-error', role: 'alert' });
    const caption = element('span', { class: 'style-caption' });
    caption.append(element('strong', {}, 'Your own style'), element('span', {}, 'PNG or JPEG'), this.ownError);
    card.append(radio, chooser, caption);
    return card;
  }

  async takeOwnFile(file, radio) {
    this.ownFile = null;
    this.ownError.textContent = '';
    if (!file) return;
    const problem = await checkStyleImage(file, this.limits);
    if (problem) {
      this.ownError.textContent = problem;
      this.ownPreview.hidden = true;
    } else {
      this.ownFile = file;
      this.ownPreview.src = URL.createObjectURL(file);
      this.ownPreview.hidden = false;
      this.ownHint.hidden = true;
      radio.checked = true;
    }
    this.onChange(this.selection());
  }

  /** {name} for a painting, {file} for the visitor's own image, or {error} when their image is missing. */
  selection() {
    const checked = this.root.querySelector('input[name=style]:checked');
    if (!checked) return { error: 'Pick a style first.' };
    if (checked.value !== OWN) return { name: checked.value };
    if (!this.ownFile) return { error: 'Choose your own style image (a PNG or JPEG), or pick a painting.' };
    return { file: this.ownFile };
  }
}

/** The checks the pipeline makes on a style image, in its words; null when fine. */
export async function checkStyleImage(file, limits) {
  const head = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  const kind = sniffFormat(head);
  if (kind !== 'png' && kind !== 'jpeg') {
    return `The style image must be a PNG or JPEG; it is ${head.length ? (kind ? `a ${kind.toUpperCase()} image` : 'not an image format we recognise') : 'empty'}.`;
  }
  if (file.size > limits.max_bytes) {
    return `The style image is ${formatMegabytes(file.size)}; the limit is ${formatMegabytes(limits.max_bytes)}.`;
  }
  const size = await readImageSize(file);
  if (!size) return 'The style image could not be read; it may be damaged. Try another file.';
  return pixelProblem('style image', size, limits);
}

/** Limits.check_image's sentence (stylizer/limits.py), for "photo" or "style image"; null when within. */
export function pixelProblem(what, { width, height }, limits) {
  if (width * height <= limits.max_image_pixels) return null;
  return `The ${what} is ${width}x${height} = ${(width * height / 1e6).toFixed(1)} megapixels; ` +
    `the limit is ${limits.max_image_pixels / 1e6} megapixels.`;
}

/** document.createElement with attributes and text or child nodes. */
export function element(tag, attributes = {}, content = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (typeof content === 'string') node.textContent = content;
  else if (Array.isArray(content)) node.append(...content);
  return node;
}
