// The style gallery: one card per catalogue painting (thumbnail, title, artist, year, credit) and a last card
// for the visitor's own style image. Both modes share it; `selection()` says what was picked.
import { sniffFormat } from './gifcheck.js';
import { readImageSize } from './imagesize.js';
import { formatMegabytes } from './words.js';

const OWN = '__own__';

export class Gallery {
  constructor(root, styles, limits, onChange = () => {}) {
    this.root = root;
    this.styles = styles;
    this.limits = limits;
    this.listeners = [onChange]; // each mode keeps its summary of "photo + style" up to date
    this.onChange = (selection) => this.listeners.forEach((listener) => listener(selection));
    this.ownFile = null;
    this.ownUrl = null;
    root.replaceChildren(...styles.map((style, index) => this.card(style, index === 0)), this.ownCard());
    root.addEventListener('change', (event) => {
      if (event.target.name === 'style') this.onChange(this.selection());
    });
  }

  card(style, checked) {
    const label = element('label', { class: 'style-card' });
    const radio = element('input', { type: 'radio', name: 'style', value: style.name });
    radio.checked = checked;
    const image = element('img', { src: style.thumbnail || `styles/${style.name}.jpg`, alt: '', loading: 'lazy',
      width: '160', height: '160' });
    const caption = element('span', { class: 'style-caption' });
    caption.append(element('strong', {}, style.title),
      element('span', {}, [style.artist, style.year].filter(Boolean).join(', ')));
    label.title = style.credit ? `${style.credit}; ${style.licence || ''}` : style.title;
    label.append(radio, image, caption);
    return label;
  }

  // The card selects the visitor's image once there is one (so it can be chosen again after another style);
  // before that, and from its "Change" link, it opens the file chooser.
  ownCard() {
    const card = element('div', { class: 'style-card own-style' });
    const select = element('label', { class: 'own-select' });
    this.ownRadio = element('input', { type: 'radio', name: 'style', value: OWN });
    this.ownPreview = element('img', { alt: '', hidden: '' });
    this.ownHint = element('span', { class: 'own-hint', 'aria-hidden': 'true' }, '+ Use my own style image');
    const caption = element('span', { class: 'style-caption' });
    caption.append(element('strong', {}, 'Your own style'), element('span', { class: 'own-name' }, 'PNG or JPEG'));
    select.append(this.ownRadio, this.ownPreview, this.ownHint, caption);
    this.ownInput = element('input', { type: 'file', accept: 'image/png,image/jpeg', class: 'own-input',
      'aria-label': 'Choose your own style image' });
    const change = element('label', { class: 'own-change' });
    change.append(this.ownInput, element('span', {}, 'Choose an image…'));
    this.ownError = element('span', { class: 'own-error', role: 'alert' });
    this.ownRadio.addEventListener('click', (event) => {
      if (!this.ownFile) { event.preventDefault(); this.ownInput.click(); }
    });
    this.ownInput.addEventListener('change', () => this.takeOwnFile(this.ownInput.files[0]));
    card.append(select, change, this.ownError);
    return card;
  }

  async takeOwnFile(file) {
    this.ownError.textContent = '';
    if (!file) return;
    const problem = await checkStyleImage(file, this.limits);
    if (problem) {
      this.ownError.textContent = problem;
      this.ownInput.value = ''; // a refused image is not kept: nothing shows that will not be used
      if (!this.ownFile) this.ownRadio.checked = false;
    } else {
      this.ownFile = file;
      if (this.ownUrl) URL.revokeObjectURL(this.ownUrl);
      this.ownUrl = URL.createObjectURL(file);
      this.ownPreview.src = this.ownUrl;
      this.ownPreview.hidden = false;
      this.ownHint.hidden = true;
      this.root.querySelector('.own-name').textContent = file.name;
      this.ownRadio.checked = true;
    }
    this.onChange(this.selection());
  }

  /** {name, title, thumbnail} for a painting, {file, title, thumbnail} for the visitor's own image, or {error}. */
  selection() {
    const checked = this.root.querySelector('input[name=style]:checked');
    if (!checked) return { error: 'Pick a style first.' };
    if (checked.value !== OWN) {
      const style = this.styles.find((entry) => entry.name === checked.value) || { title: checked.value };
      return { name: checked.value, title: style.title, thumbnail: style.thumbnail || `styles/${checked.value}.jpg` };
    }
    if (!this.ownFile) return { error: 'Choose your own style image (a PNG or JPEG), or pick a painting.', own: true };
    return { file: this.ownFile, title: this.ownFile.name, thumbnail: this.ownUrl };
  }

  /** Show a style problem where it belongs: on the own-style card. */
  showError(text) {
    this.ownError.textContent = text;
    this.ownError.closest('.style-card').scrollIntoView({ block: 'nearest' });
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
