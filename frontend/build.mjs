// npm run build → dist/: app.js (esbuild bundle of src/main.js), index.html, styles.css, and the catalogue's
// paintings under dist/styles/ for the gallery. config.json is not built: deploy (AWS) or `nst serve`
// (local) provides it next to index.html, so one build serves both.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const catalogue = join(here, '..', 'containers', 'stylizer', 'stylizer', 'catalogue');

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'styles'), { recursive: true });

await build({
  entryPoints: [join(here, 'src', 'main.js')],
  outfile: join(dist, 'app.js'),
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2020', 'chrome90', 'firefox90', 'safari15'],
  legalComments: 'linked', // the SDK's licence notices, in app.js.LEGAL.txt
  logLevel: 'warning',
});

for (const name of ['index.html', 'styles.css']) copyFileSync(join(here, 'src', name), join(dist, name));

// The gallery's images are the catalogue's own files (60–400 kB JPEGs, lazily loaded): one source of truth for
// what each style looks like, and no image tool needed at build time.
const styles = JSON.parse(readFileSync(join(catalogue, 'styles.json'), 'utf8'));
for (const [name, style] of Object.entries(styles)) {
  copyFileSync(join(catalogue, 'styles', style.file), join(dist, 'styles', `${name}.jpg`));
}
console.log(`built ${dist} (${Object.keys(styles).length} style images)`);
