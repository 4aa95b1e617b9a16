/**
 * How `notebook import` brings sweep groups over. A group holding one shard of a sweep (`shard`
 * 'I/N' and a sweep identity `sweep_key`, migration 3) merges into the group of this notebook with
 * the same identity (whatever the order the shards arrive in), and a point whose grid coordinates
 * that group already holds is skipped: importing every shard of a sweep gives one group equal to
 * the unsharded sweep, and importing a shard twice changes nothing. Every other group (a whole
 * sweep, a merged one, trace sweeps, notebooks from before migration 3) is copied as a new group
 * with all its points, as before: importing a whole notebook twice still makes two copies.
 */
import type Database from 'better-sqlite3';
import type { GridAxis, GridValue } from '../../shared/notebook';
import { getPath } from './grid';
import { pointKey } from './shards';

export interface SourceGroup {
  id: number;
  kind: string;
  title: string;
  base_json: string;
  grid_json: string;
  points: number;
  state: string;
  created_at: string;
  sweep_key?: string | null;
  shard?: string | null;
}

interface Target {
  id: number;
  grid: GridAxis[];
  /** Whether the group is a shard merging by sweep identity (only then are repeated points skipped). */
  keyed: boolean;
  /** pointKey of every point the target group holds (existing and imported so far). */
  points: Set<string>;
}

/** A sweep that was running in the other installation will not finish here. */
function importedState(state: string): string {
  return state === 'running' ? 'interrupted' : state;
}

/** The state of a group merged from two: done only when both parts are. */
function mergedState(a: string, b: string): string {
  if (a === 'done') return b;
  return a;
}

export class GroupMerger {
  /** Source group id -> where its points go. */
  private targets = new Map<number, Target>();
  duplicates = 0;

  constructor(private readonly dst: Database.Database) {}

  /** Maps a source group to a group of this notebook (existing by sweep key, else new). */
  mapGroup(g: SourceGroup): number {
    const grid = JSON.parse(g.grid_json) as GridAxis[];
    const key = g.sweep_key ?? null;
    const merges = key !== null && !!g.shard;
    const existing = merges
      ? (this.dst
          .prepare('SELECT id, state FROM groups WHERE sweep_key = ? ORDER BY id LIMIT 1')
          .get(key) as { id: number; state: string } | undefined)
      : undefined;
    let id: number;
    if (existing) {
      id = existing.id;
      // Now holds points of more than one shard: no longer one shard's group.
      this.dst
        .prepare('UPDATE groups SET state = ?, shard = NULL WHERE id = ?')
        .run(mergedState(existing.state, importedState(g.state)), id);
    } else {
      id = Number(
        this.dst
          .prepare(
            `INSERT INTO groups (kind, title, base_json, grid_json, points, state, created_at,
               sweep_key, shard)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
          )
          .run(
            g.kind,
            g.title,
            g.base_json,
            g.grid_json,
            g.points,
            importedState(g.state),
            g.created_at,
            key,
          ).lastInsertRowid,
      );
    }
    const points = new Set<string>();
    if (merges)
      for (const r of this.dst
        .prepare('SELECT params_json FROM experiments WHERE group_id = ?')
        .iterate(id) as Iterable<{ params_json: string }>)
        points.add(this.key(grid, r.params_json));
    this.targets.set(g.id, { id, grid, keyed: merges, points });
    return id;
  }

  /**
   * Whether an experiment of source group `srcGroupId` repeats a point its target group already
   * holds; if not, records its point so a second copy later in the import is skipped too.
   */
  isDuplicate(srcGroupId: number | null, paramsJson: string): boolean {
    const t = srcGroupId === null ? undefined : this.targets.get(srcGroupId);
    if (!t?.keyed) return false;
    const k = this.key(t.grid, paramsJson);
    if (t.points.has(k)) {
      this.duplicates++;
      return true;
    }
    t.points.add(k);
    return false;
  }

  private key(grid: GridAxis[], paramsJson: string): string {
    const params = JSON.parse(paramsJson) as unknown;
    const values: Record<string, GridValue> = {};
    for (const axis of grid) values[axis.path] = (getPath(params, axis.path) ?? null) as GridValue;
    return pointKey(values);
  }
}
