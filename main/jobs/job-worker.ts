/**
 * Entry point of every job's worker thread: runs the named task with the input from workerData
 * and posts progress, then the result (typed arrays transferred, not copied) or an error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TaskContext, TaskFn } from './task';
import type { WorkerMessage } from './runner';

const TASKS = {
  simulate: async () => (await import('./tasks/simulate')).simulateTask,
  'import-trace': async () => (await import('./tasks/import-trace')).importTraceTask,
  replay: async () => (await import('./tasks/replay')).replayTask,
  'simulate-fitted': async () => (await import('./tasks/simulate-fitted')).simulateFittedTask,
} satisfies Record<string, () => Promise<TaskFn<never, unknown>>>;

export type TaskName = keyof typeof TASKS;

function transferables(
  value: unknown,
  out: Set<ArrayBuffer> = new Set(),
  depth = 0,
): ArrayBuffer[] {
  if (depth > 6 || value === null || typeof value !== 'object') return [...out];
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer && value.byteLength === value.buffer.byteLength)
      out.add(value.buffer);
    return [...out];
  }
  for (const v of Object.values(value)) transferables(v, out, depth + 1);
  return [...out];
}

async function main() {
  const port = parentPort;
  if (!port) throw new Error('job-worker must run in a worker thread');
  const { task, input } = workerData as { task: TaskName; input: unknown };
  const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  const ctx: TaskContext = {
    progress: (progress) => post({ type: 'progress', progress }),
    cancelled: () => false, // cancel terminates this thread
  };
  try {
    const load = TASKS[task];
    if (!load) throw new Error(`unknown task ${String(task)}`);
    const fn = (await load()) as TaskFn<unknown, unknown>;
    const result = await fn(input, ctx);
    post({ type: 'done', result }, transferables(result));
  } catch (e) {
    const err = e as Error;
    post({
      type: 'error',
      error: { name: err?.name ?? 'Error', message: err?.message ?? String(e) },
    });
  }
}

void main();
