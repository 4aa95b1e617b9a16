/** CSV and PNG export of what a chart shows. */

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows to RFC 4180 CSV text (header first). */
export function toCsv(header: string[], rows: unknown[][]): string {
  const out = [header.map(cell).join(',')];
  for (const r of rows) out.push(r.map(cell).join(','));
  return out.join('\n') + '\n';
}

/** Columns (same length) to CSV rows. */
export function columnsToCsv(cols: Record<string, ArrayLike<unknown>>): string {
  const names = Object.keys(cols);
  const n = names.length ? cols[names[0]].length : 0;
  const rows: unknown[][] = [];
  for (let i = 0; i < n; i++) rows.push(names.map((k) => cols[k][i]));
  return toCsv(names, rows);
}

export function safeFileName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'chart';
}

export function downloadUrl(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function downloadText(text: string, fileName: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  downloadUrl(url, fileName);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
