#!/usr/bin/env node
// `npm start`: make sure the Electron binary is there (npm install skips its download, see
// package.json "allowScripts"), build, then open the desktop app. Where Electron cannot be fetched
// or shown, say so and point to the browser host.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));

function electronBinary() {
  const pathTxt = join(electronDir, 'path.txt');
  if (!existsSync(pathTxt)) return null;
  const bin = join(electronDir, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

function fail(msg) {
  console.error(
    `\n${msg}\n\nWithout the desktop app you can still use the whole lab in a browser:\n  npm run serve\n`,
  );
  process.exit(1);
}

let bin = electronBinary();
if (!bin) {
  console.log(
    'Electron is not downloaded yet: fetching it with its own installer (first start only)…',
  );
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    stdio: 'inherit',
    env,
  });
  bin = electronBinary();
  if (r.status !== 0 || !bin)
    fail('Could not download the Electron binary (no internet access to its release host?).');
}

if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
  fail('No display found (DISPLAY / WAYLAND_DISPLAY unset): the desktop app cannot open here.');

/**
 * better-sqlite3 in node_modules is built for Node (tests, CLI, browser host). Electron needs its
 * own ABI: build a second copy once, beside the first, and point the app at it.
 */
function electronSqlite() {
  const version = require('electron/package.json').version;
  const out = join('.electron-native', `electron-${version}-${process.platform}-${process.arch}`);
  const node = join(out, 'better_sqlite3.node');
  if (existsSync(node)) return resolve(node);
  console.log(`Building better-sqlite3 for Electron ${version} (first start only)…`);
  const src = join(out, 'src');
  rmSync(src, { recursive: true, force: true });
  cpSync(dirname(require.resolve('better-sqlite3/package.json')), src, {
    recursive: true,
    filter: (p) => !p.includes(`${join('better-sqlite3', 'build')}`),
  });
  // npm exports nodedir=/usr on some machines, which would silently build against Node's headers.
  const env = { ...process.env };
  for (const k of Object.keys(env))
    if (/^npm_config_(nodedir|target|runtime|disturl)$/i.test(k)) delete env[k];
  const prebuilt = spawnSync(
    process.execPath,
    [require.resolve('prebuild-install/bin.js'), '--runtime', 'electron', '--target', version],
    { cwd: src, stdio: 'inherit', env },
  );
  if (prebuilt.status !== 0) {
    const gyp = spawnSync(
      process.execPath,
      [
        require.resolve('node-gyp/bin/node-gyp.js'),
        'rebuild',
        '--release',
        `--target=${version}`,
        '--runtime=electron',
        '--dist-url=https://electronjs.org/headers',
      ],
      { cwd: src, stdio: 'inherit', env },
    );
    if (gyp.status !== 0)
      fail(
        'Could not build better-sqlite3 for Electron (no compiler, or no access to Electron headers?).',
      );
  }
  cpSync(join(src, 'build', 'Release', 'better_sqlite3.node'), node);
  rmSync(src, { recursive: true, force: true });
  return resolve(node);
}

const sqliteBinding = electronSqlite();

const build = spawnSync(
  process.execPath,
  [join('node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
  {
    stdio: 'inherit',
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const child = spawn(bin, ['.', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, XEN_PI_LAB_SQLITE_BINDING: sqliteBinding },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
