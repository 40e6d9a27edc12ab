"""Related articles: content similarity (BM25 over jieba tokens) plus a bonus for shared tags, with reasons.

Build once over a set of documents (`RelatedIndex.build`), then ask `related(doc_id)` many times.

Scoring of document j for document i
    text   the i's most characteristic terms (its QUERY_TERMS best by BM25 weight in i) form the query; the
           BM25 score of j for that query (bm25s, Lucene variant) is divided by i's own score for it, so a
           near-copy of i scores ~1 and t ∈ [0, 1] whatever the length of i.
    tags   tag_weight × min(shared tags, tag_cap) / tag_cap.
    score  text + tags; documents below min_score are not proposed (an unrelated notice sharing one
           common word stays out).
Reasons: the shared terms that weigh most in both documents, and the shared tags.

Tokens come from the matching engine's normaliser and tokeniser (NFKC, traditional → simplified, rjieba in
search mode with the biomedical dictionary, stop words dropped), so both engines read Chinese the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import bm25s
import numpy as np

from sanlian.engines.matching import text as textmod

QUERY_TERMS = 30


@dataclass(frozen=True)
class Doc:
    id: str
    title: str = ""
    text: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Related:
    doc_id: str
    score: float
    text_score: float
    terms: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Weights:
    tag_weight: float = 0.3
    tag_cap: int = 2
    min_score: float = 0.12
    reason_terms: int = 5


class RelatedIndex:
    def __init__(self):  # use RelatedIndex.build
        self.docs: list[Doc] = []
        self.weights = Weights()

    @classmethod
    def build(cls, docs: Iterable[Doc], *, weights: Weights | None = None) -> RelatedIndex:
        """Index documents; ids must be unique. The title counts twice: it says what the article is about."""
        self = cls()
        self.weights = weights or Weights()
        self.docs = list(docs)
        self.position: dict[str, int] = {}
        for i, doc in enumerate(self.docs):
            if doc.id in self.position:
                raise ValueError(f"duplicate document id {doc.id!r}")
            self.position[doc.id] = i
        self.vocab: dict[str, int] = {}
        corpus = []
        for doc in self.docs:
            tokens = textmod.tokenize(f"{doc.title}\n{doc.title}\n{doc.text}")
            corpus.append([self.vocab.setdefault(token, len(self.vocab)) for token in tokens])
        self.terms = list(self.vocab)
        self._index_tags()
        self.bm25 = None
        if self.vocab:
            self.bm25 = bm25s.BM25()
            self.bm25.index((corpus, dict(self.vocab)), create_empty_token=False, show_progress=False)
            self._rows()
        return self

    def _index_tags(self) -> None:
        self.tag_docs: dict[str, list[int]] = {}
        for i, doc in enumerate(self.docs):
            for tag in dict.fromkeys(doc.tags):
                self.tag_docs.setdefault(tag, []).append(i)

    def _rows(self) -> None:
        """Per-document (term, weight) rows from bm25s's per-term columns, for queries and reasons."""
        scores = self.bm25.scores
        indptr, docs, data = scores["indptr"], scores["indices"], scores["data"]
        term_of_entry = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
        order = np.lexsort((term_of_entry, docs))
        self.row_terms = term_of_entry[order]
        self.row_weights = np.asarray(data[order], dtype=np.float64)
        self.row_ptr = np.searchsorted(np.asarray(docs)[order], np.arange(len(self.docs) + 1))

    def __len__(self) -> int:
        return len(self.docs)

    def _row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = int(self.row_ptr[i]), int(self.row_ptr[i + 1])
        return self.row_terms[start:end], self.row_weights[start:end]

    def _query(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        terms, weights = self._row(i)
        if terms.size > QUERY_TERMS:
            keep = np.argsort(-weights, kind="stable")[:QUERY_TERMS]
            terms, weights = terms[keep], weights[keep]
        return terms, weights

    def related(self, doc_id: str, k: int = 5) -> list[Related]:
        """The k documents most related to doc_id, best first (ties by id); [] for an unknown id."""
        i = self.position.get(doc_id)
        if i is None or k <= 0:
            return []
        n = len(self.docs)
        text = np.zeros(n)
        terms = np.empty(0, dtype=np.int64)
        if self.bm25 is not None:
            terms, _weights = self._query(i)
            if terms.size:
                raw = np.asarray(self.bm25.get_scores_from_ids([int(t) for t in terms]), dtype=np.float64)
                own = raw[i]
                text = np.minimum(raw / own, 1.0) if own > 0 else np.zeros(n)
        shared = np.zeros(n)
        for tag in dict.fromkeys(self.docs[i].tags):
            shared[self.tag_docs.get(tag, [])] += 1
        w = self.weights
        score = text + w.tag_weight * np.minimum(shared, w.tag_cap) / w.tag_cap
        score[i] = -1.0
        pool = np.flatnonzero(score >= w.min_score)
        order = sorted(pool.tolist(), key=lambda j: (-score[j], self.docs[j].id))[:k]
        return [
            Related(
                doc_id=self.docs[j].id,
                score=round(float(score[j]), 6),
                text_score=round(float(text[j]), 6),
                terms=self._shared_terms(i, j, terms),
                tags=[tag for tag in dict.fromkeys(self.docs[i].tags) if tag in self.docs[j].tags],
            )
            for j in order
        ]

    def _shared_terms(self, i: int, j: int, query: np.ndarray) -> list[str]:
        """Query terms of i that j holds too, by the product of their weights; parts of a longer one dropped."""
        if not query.size:
            return []
        mine = dict(zip(*(a.tolist() for a in self._row(i)), strict=True))
        theirs = dict(zip(*(a.tolist() for a in self._row(j)), strict=True))
        both = [(mine[t] * theirs[t], self.terms[t]) for t in query.tolist() if t in theirs]
        words = {word for _, word in both}
        kept = [(s, w) for s, w in both if not any(w != other and w in other for other in words)]
        kept.sort(key=lambda pair: (-pair[0], pair[1]))
        return [word for _, word in kept[: self.weights.reason_terms]]
