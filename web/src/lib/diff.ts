import { diffLines } from 'diff';

export interface DiffRow {
  kind: 'same' | 'add' | 'del';
  text: string;
  /** Line number in the old text (same, del) and in the new text (same, add). */
  oldLine: number | null;
  newLine: number | null;
}

/** A line diff from `before` to `after`, one row per line. */
export function lineDiff(before: string, after: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let oldLine = 1;
  let newLine = 1;
  for (const part of diffLines(before, after)) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    for (const text of lines) {
      if (part.added) rows.push({ kind: 'add', text, oldLine: null, newLine: newLine++ });
      else if (part.removed) rows.push({ kind: 'del', text, oldLine: oldLine++, newLine: null });
      else rows.push({ kind: 'same', text, oldLine: oldLine++, newLine: newLine++ });
    }
  }
  return rows;
}

export function diffStats(rows: readonly DiffRow[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const r of rows) {
    if (r.kind === 'add') added++;
    else if (r.kind === 'del') removed++;
  }
  return { added, removed };
}

/** Long runs of unchanged lines fold to `context` lines around each change. */
export function foldUnchanged(rows: readonly DiffRow[], context = 3): (DiffRow | { kind: 'fold'; count: number })[] {
  const keep = rows.map(() => false);
  rows.forEach((r, i) => {
    if (r.kind === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(rows.length - 1, i + context); j++) keep[j] = true;
  });
  const out: (DiffRow | { kind: 'fold'; count: number })[] = [];
  let folded = 0;
  rows.forEach((r, i) => {
    if (keep[i]) {
      if (folded > 0) out.push({ kind: 'fold', count: folded });
      folded = 0;
      out.push(r);
    } else folded++;
  });
  if (folded > 0) out.push({ kind: 'fold', count: folded });
  return out;
}
