/** What "a merged notebook equals the unsharded sweep" compares, read straight from SQLite. */
import Database from 'better-sqlite3';
import { canonicalJson } from '../../../main/notebook/shards';

export interface SweepSnapshot {
  groups: { title: string; points: number; grid: string; sweepKey: string | null }[];
  /** Every experiment of the notebook: its title, params and full summary, canonical order. */
  points: { group: number; title: string; params: string; summary: string | null }[];
}

export function sweepSnapshot(path: string): SweepSnapshot {
  const db = new Database(path, { readonly: true });
  try {
    const groups = db
      .prepare('SELECT id, title, points, grid_json, sweep_key FROM groups ORDER BY id')
      .all() as {
      id: number;
      title: string;
      points: number;
      grid_json: string;
      sweep_key: string | null;
    }[];
    const rank = new Map(groups.map((g, i) => [g.id, i]));
    const points = (
      db
        .prepare(
          `SELECT e.group_id, e.title, e.params_json, r.summary_json FROM experiments e
           LEFT JOIN results r ON r.experiment_id = e.id`,
        )
        .all() as {
        group_id: number | null;
        title: string;
        params_json: string;
        summary_json: string | null;
      }[]
    )
      .map((r) => ({
        group: r.group_id === null ? -1 : (rank.get(r.group_id) ?? -2),
        title: r.title,
        params: canonicalJson(JSON.parse(r.params_json)),
        summary: r.summary_json === null ? null : canonicalJson(JSON.parse(r.summary_json)),
      }))
      .sort((a, b) => (a.params < b.params ? -1 : a.params > b.params ? 1 : 0));
    return {
      groups: groups.map((g) => ({
        title: g.title,
        points: g.points,
        grid: g.grid_json,
        sweepKey: g.sweep_key,
      })),
      points,
    };
  } finally {
    db.close();
  }
}
