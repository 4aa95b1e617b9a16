/** Where a run export goes, shared by the Perfetto and Parquet writers. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ExperimentRecord } from '../../shared/model';
import type { Store } from '../store/store';
import { defaultExportDir, ExportError, slug, stamp } from './report';

/**
 * The run (which must have a result) and the absolute target path: `given`, else
 * exports/run-ID-TITLE-STAMP<suffix> beside the notebook. Refuses a target that exists.
 */
export function runExportTarget(
  store: Store,
  id: number,
  given: string | undefined,
  suffix: string,
): { e: ExperimentRecord; target: string } {
  const e = store.getExperiment(id);
  if (!e.summary) throw new ExportError(`experiment ${id} has no result to export`);
  const target = resolve(
    given ?? join(defaultExportDir(store), `run-${id}-${slug(e.title)}-${stamp()}${suffix}`),
  );
  if (existsSync(target)) throw new ExportError(`${target} already exists`);
  return { e, target };
}
