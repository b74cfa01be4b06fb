/**
 * Combining the retrievers. Hybrid ranking is reciprocal rank fusion, normalised to 0..1:
 *
 *     rrf(d) = Σ_r 1 / (k + rank_r(d))  /  (R / (k + 1)),   k = 60
 *
 * over the R retrievers that ran (rank from 1; a retriever that did not return d adds 0), so a
 * memory ranked first by both scores 1. Single-retriever relevance keeps the retriever's own scale:
 * vector = max(0, cosine); full text = s / (1 + s) for the BM25 score s.
 */

export const RRF_K = 60

/** seq → normalised RRF score over ranked lists of seqs. */
export const reciprocalRankFusion = (lists: ReadonlyArray<ReadonlyArray<number>>, k = RRF_K): Map<number, number> => {
  const scores = new Map<number, number>()
  if (lists.length === 0) return scores
  const norm = lists.length / (k + 1)
  for (const list of lists) {
    list.forEach((seq, i) => scores.set(seq, (scores.get(seq) ?? 0) + 1 / (k + i + 1) / norm))
  }
  return scores
}

export const textRelevance = (bm25: number): number => (bm25 <= 0 ? 0 : bm25 / (1 + bm25))

export const vectorRelevance = (similarity: number): number => (similarity <= 0 ? 0 : Math.min(1, similarity))
