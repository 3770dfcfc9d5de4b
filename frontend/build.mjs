// npm run build → dist/: app-<hash>.js (esbuild bundle of src/main.js), styles-<hash>.css, index.html naming
// them, and the catalogue's paintings under dist/styles/ for the gallery. The hash in the names is what lets
// the deploy serve them `immutable` for a year (pipeline/deploy/site.py): a changed bundle is a new name, and
// index.html (no-cache) points at it. config.json is not built: deploy (AWS) or `nst serve` (local) provides
// it next to index.html, so one build serves both.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const catalogue = join(here, '..', 'containers', 'stylizer', 'stylizer', 'catalogue');

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'styles'), { recursive: true });

const result = await build({
  entryPoints: { app: join(here, 'src', 'main.js'), styles: join(here, 'src', 'styles.css') },
  outdir: dist,
  entryNames: '[name]-[hash]',
  metafile: true,
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2020', 'chrome90', 'firefox90', 'safari15'],
  legalComments: 'linked', // the SDK's licence notices, in app-<hash>.js.LEGAL.txt
  logLevel: 'warning',
});

// The hashed name of each entry point's output, then index.html pointing at them.
const hashed = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (output.entryPoint) hashed[output.entryPoint.endsWith('.css') ? 'styles.css' : 'app.js'] = basename(file);
}
let page = readFileSync(join(here, 'src', 'index.html'), 'utf8');
for (const [plain, name] of Object.entries(hashed)) {
  const reference = new RegExp(`(href|src)="${plain.replace('.', '\\.')}"`, 'g');
  if (!reference.test(page)) throw new Error(`src/index.html no longer references ${plain}`);
  page = page.replace(reference, `$1="${name}"`);
}
writeFileSync(join(dist, 'index.html'), page);

// The gallery's images: 320-px thumbnails of the catalogue's paintings (src/thumbnails/make_thumbnails.py,
// 22–44 kB each instead of the 60–400 kB originals); a style without one yet falls back to its original.
const styles = JSON.parse(readFileSync(join(catalogue, 'styles.json'), 'utf8'));
for (const [name, style] of Object.entries(styles)) {
  const thumbnail = join(here, 'src', 'thumbnails', `${name}.jpg`);
  copyFileSync(existsSync(thumbnail) ? thumbnail : join(catalogue, 'styles', style.file), join(dist, 'styles', `${name}.jpg`));
}
console.log(`built ${dist} (${Object.keys(styles).length} style images)`);
