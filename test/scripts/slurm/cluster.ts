/**
 * A single-node Slurm cluster for one test: munged with a fresh key, slurmctld and slurmd on
 * localhost with a minimal slurm.conf, everything (config, state, spool, logs, socket) in a temp
 * folder and on free ports, so it touches nothing of the machine's own Slurm or munge.
 * `start()` returns null with the reason when Slurm cannot run here; `stop()` shuts it down.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';

const BINARIES = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo', 'scontrol'];

export interface Cluster {
  dir: string;
  /** Environment for sbatch/squeue/scontrol: SLURM_CONF pointing at this cluster. */
  env: NodeJS.ProcessEnv;
  stop(): void;
  /** The daemons' logs, for failure messages. */
  logs(): string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function which(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin} || test -x /usr/sbin/${bin}`]).status === 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readPid(file: string): number | null {
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startCluster(dir: string, timeoutMs = 30_000): Promise<Cluster | string> {
  const missing = BINARIES.filter((b) => !which(b));
  if (missing.length)
    return `${missing.join(', ')} not installed (Debian: apt-get install slurm-wlm munge)`;
  if (process.getuid?.() !== 0)
    return 'slurmd must run as root to start jobs (run the tests as root, as CI does)';
  for (const d of ['state', 'spool', 'log', 'munge']) mkdirSync(join(dir, d), { recursive: true });
  chmodSync(join(dir, 'munge'), 0o755);
  const key = join(dir, 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o400 });
  const socket = join(dir, 'munge', 'munge.socket');
  const pids = {
    munged: join(dir, 'munge', 'munged.pid'),
    slurmctld: join(dir, 'slurmctld.pid'),
    slurmd: join(dir, 'slurmd.pid'),
  };
  const log = (n: string) => join(dir, 'log', `${n}.log`);
  const host = hostname();
  const user = userInfo().username;
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    `ClusterName=xpltest
SlurmctldHost=${host}(127.0.0.1)
SlurmUser=${user}
SlurmdUser=${user}
AuthType=auth/munge
AuthInfo=socket=${socket}
CredType=cred/munge
SlurmctldPort=${ctldPort}
SlurmdPort=${dPort}
StateSaveLocation=${join(dir, 'state')}
SlurmdSpoolDir=${join(dir, 'spool')}
SlurmctldPidFile=${pids.slurmctld}
SlurmdPidFile=${pids.slurmd}
SlurmctldLogFile=${log('slurmctld')}
SlurmdLogFile=${log('slurmd')}
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SwitchType=switch/none
NodeName=${host} NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=test Nodes=${host} Default=YES MaxTime=10 State=UP
`,
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const cluster: Cluster = {
    dir,
    env,
    logs: () =>
      ['munged', 'slurmctld', 'slurmd']
        .map((n) => {
          const f = log(n);
          const text = existsSync(f) ? readFileSync(f, 'utf8') : '(no log)';
          return `--- ${n}\n${text.split('\n').slice(-15).join('\n')}`;
        })
        .join('\n'),
    stop: () => {
      // Read before the shutdown: a daemon removes its pid file while it is still exiting.
      const started = [pids.slurmd, pids.slurmctld, pids.munged]
        .map(readPid)
        .filter((pid): pid is number => pid !== null);
      spawnSync('scontrol', ['shutdown'], { env, timeout: 10_000 });
      // Whatever did not go down with scontrol: only the daemons this cluster started.
      for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGTERM');
      // Wait until they are gone, so the caller can delete their state folder.
      const until = Date.now() + 15_000;
      const nap = new Int32Array(new SharedArrayBuffer(4));
      while (started.some(alive) && Date.now() < until) Atomics.wait(nap, 0, 0, 100);
    },
  };
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { env, encoding: 'utf8', timeout: 15_000 });
    return r.status === 0 ? null : `${cmd} failed (${r.status ?? r.signal}): ${r.stderr}`;
  };
  const failed =
    run('munged', [
      '--force',
      `--key-file=${key}`,
      `--socket=${socket}`,
      `--pid-file=${pids.munged}`,
      `--log-file=${log('munged')}`,
      `--seed-file=${join(dir, 'munge', 'munged.seed')}`,
    ]) ??
    run('slurmctld', ['-f', conf, '-i']) ??
    run('slurmd', ['-f', conf]);
  if (failed) {
    cluster.stop();
    return `Slurm could not start: ${failed}\n${cluster.logs()}`;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = spawnSync('sinfo', ['-h', '-o', '%t'], { env, encoding: 'utf8', timeout: 10_000 });
    if (r.status === 0 && r.stdout.trim() === 'idle') return cluster;
    await sleep(500);
  }
  const why = `the node did not become idle within ${timeoutMs / 1000} s\n${cluster.logs()}`;
  cluster.stop();
  return `Slurm could not start: ${why}`;
}

/** Waits until none of `jobIds` is queued or running; false on timeout. */
export async function waitForJobs(
  c: Cluster,
  jobIds: string[],
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = spawnSync('squeue', ['-h', '-o', '%i %t', '-j', jobIds.join(',')], {
      env: c.env,
      encoding: 'utf8',
      timeout: 10_000,
    });
    // squeue forgets finished jobs (MinJobAge) and then errors on their ids: both mean done.
    if (r.status === 0 && r.stdout.trim() === '') return true;
    if (r.status !== 0 && /Invalid job id/i.test(r.stderr)) return true;
    await sleep(1000);
  }
  return false;
}
