import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppIdentity {
  name: string;
  version: string;
  /** git commit of the checkout the app runs from, when it is one (null in packaged builds). */
  commit: string | null;
}

let cached: AppIdentity | null = null;

function findPackageJson(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const p = join(dir, 'package.json');
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string };
      if (pkg.name === 'xen-pi-lab') return p;
    } catch {
      /* keep looking upwards */
    }
    dir = dirname(dir);
  }
  return null;
}

const readVersion = (pkgPath: string | null): string =>
  pkgPath ? (JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string }).version : '0.0.0';

/** The version in package.json alone (`--version`: no git process started). */
export function packageVersion(): string {
  return cached?.version ?? readVersion(findPackageJson());
}

/** The folder holding the app's package.json (a checkout, or the packaged app), from source or
 *  from a bundle (out/cli, out/main) alike; null if not found. */
export function appRoot(): string | null {
  const p = findPackageJson();
  return p ? dirname(p) : null;
}

/** Version from package.json and the git commit, read once (provenance of every saved run). */
export function appIdentity(): AppIdentity {
  if (cached) return cached;
  const pkgPath = findPackageJson();
  let version = '0.0.0';
  let commit: string | null = process.env.XEN_PI_LAB_COMMIT ?? null;
  if (pkgPath) {
    version = readVersion(pkgPath);
    if (!commit) {
      try {
        commit = execFileSync('git', ['rev-parse', 'HEAD'], {
          cwd: dirname(pkgPath),
          stdio: ['ignore', 'pipe', 'ignore'],
          timeout: 2000,
        })
          .toString()
          .trim();
      } catch {
        commit = null;
      }
    }
  }
  cached = { name: 'xen-pi-lab', version, commit };
  return cached;
}
