/**
 * SHA-256 of a file on another thread: the import is bound by one core, hashing a 1 GB dump costs
 * most of a second, and the machine has a second core.
 */
import { Worker } from 'node:worker_threads';

const CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const hash = require('node:crypto').createHash('sha256');
const fd = fs.openSync(workerData, 'r');
const buf = Buffer.allocUnsafe(1 << 22);
let n;
while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) hash.update(buf.subarray(0, n));
fs.closeSync(fd);
parentPort.postMessage(hash.digest('hex'));
`;

export function hashFile(path: string): { done: Promise<string>; cancel: () => void } {
  const w = new Worker(CODE, { eval: true, workerData: path });
  const done = new Promise<string>((resolve, reject) => {
    w.once('message', (m: string) => resolve(m));
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`hashing ${path} stopped (exit ${code})`));
    });
  });
  return {
    done,
    cancel: () => {
      done.catch(() => {}); // the caller is already failing; the hash is not wanted
      void w.terminate();
    },
  };
}
