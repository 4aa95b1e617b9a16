/**
 * Where Xen's own xenalyze is on this machine: $XENALYZE, then where scripts/install-xenalyze.sh
 * unpacks it ($XEN_PI_LAB_TOOLS, default /opt/xen-utils), then the usual Debian paths and PATH.
 * Tests that need it fail loudly on CI (CI=true, where .ci/run installs it) and skip with a
 * printed reason elsewhere.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

export function findXenalyze(): string | null {
  const tools = process.env.XEN_PI_LAB_TOOLS ?? '/opt/xen-utils';
  const candidates = [
    process.env.XENALYZE,
    join(tools, 'usr', 'bin', 'xenalyze'),
    '/usr/bin/xenalyze',
    '/usr/sbin/xenalyze',
  ];
  for (const p of candidates) if (p && existsSync(p)) return p;
  const which = spawnSync('sh', ['-c', 'command -v xenalyze'], { encoding: 'utf8' });
  const onPath = which.status === 0 ? which.stdout.trim() : '';
  return onPath || null;
}
