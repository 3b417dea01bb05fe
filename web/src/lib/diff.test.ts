import { describe, expect, it } from 'vitest';
import { diffStats, foldUnchanged, lineDiff } from './diff';

describe('lineDiff', () => {
  it('marks added, removed and unchanged lines with their numbers', () => {
    const rows = lineDiff('a\nb\nc\n', 'a\nB\nc\nd\n');
    expect(rows.map((r) => `${r.kind}:${r.text}`)).toEqual(['same:a', 'del:b', 'add:B', 'same:c', 'add:d']);
    expect(rows[1]).toMatchObject({ oldLine: 2, newLine: null });
    expect(rows[4]).toMatchObject({ oldLine: null, newLine: 4 });
    expect(diffStats(rows)).toEqual({ added: 2, removed: 1 });
  });

  it('reports no change for equal texts', () => {
    expect(diffStats(lineDiff('x\ny', 'x\ny'))).toEqual({ added: 0, removed: 0 });
  });

  it('handles texts without a final newline', () => {
    expect(lineDiff('one', 'one\ntwo').map((r) => r.kind)).toEqual(['del', 'add', 'add']);
  });
});

describe('foldUnchanged', () => {
  it('folds long unchanged runs, keeping context around changes', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n');
    const after = before.replace('l10', 'changed');
    const shown = foldUnchanged(lineDiff(before, after), 2);
    expect(shown[0]).toEqual({ kind: 'fold', count: 8 });
    expect(shown.filter((r) => r.kind !== 'fold')).toHaveLength(6);
    expect(shown[shown.length - 1]).toEqual({ kind: 'fold', count: 7 });
  });
});
