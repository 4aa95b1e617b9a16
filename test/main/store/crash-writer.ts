// Child process of the crash-safety test: saves runs as fast as it can, printing each committed
// id, until the parent kills it with SIGKILL.
import { Store } from '../../../main/store/store';
import { sampleRun } from './fixtures';

const store = Store.open(process.argv[2]);
for (let i = 1; ; i++) {
  const run = sampleRun(i, 4096, 2);
  const id = store.saveRun({
    kind: 'simulation',
    title: `crash ${i}`,
    result: run,
    tags: ['crash'],
  });
  process.stdout.write(`${id} ${run.summary.walked}\n`);
}
