/**
 * JSON export of one run: provenance, parameters, summary, timeline, annotations and every
 * series. A series is a plain array when all its values are finite numbers (or `encoding` is
 * 'arrays'); otherwise (Infinity in `res.tOut`, or `encoding: 'base64'`) it is the little-endian
 * bytes in base64 with its dtype, so the file round-trips exactly.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DownloadText, ExportedFile } from '../../shared/notebook';
import {
  dtypeOf,
  typedArrayFromBytes,
  type AnyTypedArray,
  type SeriesDType,
  type SeriesSet,
} from '../../shared/results';
import { SCHEMA_VERSION } from '../store/db';
import type { Store } from '../store/store';
import { defaultExportDir, ExportError, provenanceRows, slug, stamp } from './report';

export type SeriesEncoding = 'auto' | 'base64';

export type JsonSeries =
  | { dtype: SeriesDType; length: number; values: number[] }
  | { dtype: SeriesDType; length: number; base64: string };

export const RUN_JSON_FORMAT = 'xen-pi-lab/run';

function encodeSeries(a: AnyTypedArray, encoding: SeriesEncoding): JsonSeries {
  const dtype = dtypeOf(a);
  let finite = encoding === 'auto';
  if (finite) for (let i = 0; i < a.length && finite; i++) finite = Number.isFinite(a[i]);
  if (finite) return { dtype, length: a.length, values: Array.from(a) };
  return {
    dtype,
    length: a.length,
    base64: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'),
  };
}

/** Decodes the `series` of a run JSON back to typed arrays. */
export function decodeSeries(series: Record<string, JsonSeries>): SeriesSet {
  const out: SeriesSet = {};
  for (const [name, s] of Object.entries(series)) {
    if ('base64' in s) out[name] = typedArrayFromBytes(s.dtype, Buffer.from(s.base64, 'base64'));
    else {
      const bytes = typedArrayFromBytes(s.dtype, new Uint8Array(0));
      const Ctor = bytes.constructor as new (v: number[]) => AnyTypedArray;
      out[name] = new Ctor(s.values);
    }
  }
  return out;
}

export function runJson(store: Store, id: number, encoding: SeriesEncoding = 'auto') {
  const e = store.getExperiment(id);
  const result = e.hasResult ? store.loadSummary(id) : null;
  const series = e.hasResult ? store.loadSeries(id) : {};
  return {
    format: RUN_JSON_FORMAT,
    formatVersion: 1,
    schemaVersion: SCHEMA_VERSION,
    exportedAt: new Date().toISOString(),
    experiment: {
      id: e.id,
      kind: e.kind,
      title: e.title,
      tags: e.tags,
      notes: e.notes,
      createdAt: e.createdAt,
      groupId: e.groupId,
      parentId: e.parentId,
    },
    provenance: {
      appVersion: e.appVersion,
      appCommit: e.appCommit,
      engineVersion: e.engineVersion,
      seed: e.seed,
      table: Object.fromEntries(provenanceRows(e)),
    },
    params: e.params,
    summary: result?.summary ?? null,
    timeline: result?.timeline ?? null,
    annotations: store.listAnnotations(id),
    series: Object.fromEntries(
      Object.keys(series)
        .sort()
        .map((name) => [name, encodeSeries(series[name], encoding)]),
    ),
  };
}

/** Writes the run's JSON to `path` (default exports/run-ID-TITLE-STAMP.json); never overwrites. */
export function writeRunJson(
  store: Store,
  id: number,
  opts: { path?: string; encoding?: SeriesEncoding } = {},
): ExportedFile {
  const e = store.getExperiment(id);
  const path = resolve(
    opts.path ?? join(defaultExportDir(store), `run-${id}-${slug(e.title)}-${stamp()}.json`),
  );
  if (existsSync(path)) throw new ExportError(`${path} already exists`);
  const text = JSON.stringify(runJson(store, id, opts.encoding ?? 'auto'));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, { flag: 'wx' });
  return { path, bytes: Buffer.byteLength(text) };
}

/** The run's JSON as a download (the browser host): nothing is written on the lab's machine. */
export function runJsonText(
  store: Store,
  id: number,
  encoding: SeriesEncoding = 'auto',
): DownloadText {
  const e = store.getExperiment(id);
  return {
    fileName: `run-${id}-${slug(e.title)}.json`,
    mime: 'application/json',
    text: JSON.stringify(runJson(store, id, encoding)),
  };
}
