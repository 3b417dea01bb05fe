import { describe, expect, it } from 'vitest';
import type { SearchResult } from '../api/types';
import { whyText } from './SearchBox';

function result(why: SearchResult['why'], score = 0.5): SearchResult {
  return { id: 1, title: 'Beta', folderId: null, sourceId: null, tags: [], updatedAt: '2026-01-01T00:00:00Z', snippet: 'x', score, why };
}

describe('whyText', () => {
  it('explains a full-text hit by its rank and bm25 score', () => {
    expect(whyText(result({ ftsRank: 1, ftsScore: 4.5678, semanticScore: null, chunk: null }, 4.5678), 'fts'))
      .toBe('Why: words: rank 1 (bm25 4.57) · fts score 4.568');
  });

  it('explains a hybrid hit by both rankings and the passage that matched', () => {
    const text = why(0.0325, { ftsRank: 2, ftsScore: 1.2, semanticScore: 0.61, chunk: { ordinal: 0, text: 'Force layouts place linked notes close together.' } });
    expect(text).toBe('Why: words: rank 2 (bm25 1.20); meaning: similarity 0.61; passage 1: “Force layouts place linked notes close together.” · hybrid score 0.033');
  });

  it('says when the matched passage changed since indexing, and cuts long passages', () => {
    expect(why(0.4, { ftsRank: null, ftsScore: null, semanticScore: 0.4, chunk: { ordinal: 2, text: null } }, 'semantic'))
      .toContain('passage 3 (changed since indexed)');
    expect(why(0.4, { ftsRank: null, ftsScore: null, semanticScore: 0.4, chunk: { ordinal: 0, text: 'a'.repeat(300) } }, 'semantic'))
      .toContain(`“${'a'.repeat(140)}…”`);
  });

  it('still says something when the server gives no reason', () => {
    expect(why(1, { ftsRank: null, ftsScore: null, semanticScore: null, chunk: null })).toBe('Why: ranked by hybrid search · hybrid score 1.000');
  });
});

function why(score: number, w: SearchResult['why'], mode: 'fts' | 'semantic' | 'hybrid' = 'hybrid'): string {
  return whyText(result(w, score), mode);
}
