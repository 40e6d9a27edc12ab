"""The match index: BM25 over profile texts plus the chain, place, certification and freshness signals.

Build once over all profiles (`MatchIndex.build`), then `search` many queries. Every signal is a numpy column
over the profiles, so a query over 100,000 profiles costs a few sparse column sums and some vector arithmetic.

Scoring (`search`)
    text      BM25 (bm25s, Lucene variant, k1=1.5, b=0.75) of the query tokens over name + description,
              divided by the best text score among the eligible profiles: t ∈ [0, 1].
    chain     1 when the profile sits at a node that supplies one of the query's nodes (edges supplier →
              customer; for an offer query the other way round: a node the query's node supplies), 0.3 when
              it sits at one of the query's own nodes (a peer or a competitor), else 0.
    place     1 same park, 0.6 same town, 0.2 same district, else 0.
    certs     share of the certifications the query asks for (Query.certifications plus those its text
              requires, see text.requested_certifications) that the profile holds.
    fresh     exp(−days / 30) for a profile updated `days` before Query.as_of (0 without dates).

    score = t + gate(t) · (0.5·chain + 0.25·place + 0.25·certs + 0.1·fresh),
    gate(t) = 0.3 + 0.7 · min(1, t / 0.3)

    The gate lets the structured signals reorder text-relevant profiles freely, while a profile with no
    word in common with the query can still enter the list on its chain position (its boosts count for 30 %)
    but not crowd out the profiles that match in words. A profile is a candidate when t > 0 or chain > 0.

The weights (Weights, defaults above) were set by reasoning about the signals and checked on the labelled
set (sanlian/chain/data/eval): lowering same_node from 0.5 to 0.3 was the one change made after measuring.

Determinism: ties are broken by profile id (ascending); nothing depends on hash order or the clock.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import bm25s
import numpy as np

from sanlian.engines.matching import text as textmod

logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import: no log per index build

OFFER_KINDS = frozenset({"offer", "business_offer", "tech_offer"})


@dataclass(frozen=True)
class Profile:
    """A candidate partner: an offer, a request or an enterprise's capability profile."""

    id: str
    name: str
    description: str
    nodes: tuple[str, ...] = ()
    town: str = ""
    park: str = ""
    district: str = ""
    certifications: tuple[str, ...] = ()
    kind: str = ""
    updated: date | None = None


@dataclass(frozen=True)
class Query:
    """What is sought. `kind` is the query's own side: an offer ("offer", "business_offer", "tech_offer")
    looks for customers downstream; anything else (a request, R&D cooperation, "") for suppliers upstream."""

    text: str
    node: str | None = None
    nodes: tuple[str, ...] = ()
    town: str = ""
    park: str = ""
    district: str = ""
    certifications: tuple[str, ...] = ()
    kind: str = ""
    as_of: date | None = None

    @property
    def all_nodes(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for code in ((self.node,) if self.node else ()) + tuple(self.nodes):
            if code:
                seen.setdefault(code, None)
        return tuple(seen)

    @property
    def is_offer(self) -> bool:
        return self.kind in OFFER_KINDS


@dataclass(frozen=True)
class Reason:
    """Why a profile was proposed: a code and its parameters; the application words it.

    Codes: text {terms}; upstream {node, for} (the profile's node supplies the query's); downstream {node, for}
    (offer queries: the profile's node buys from the query's); same_node {node}; same_park {park};
    same_town {town}; same_district {district}; certification {codes}; fresh {days}.
    """

    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    profile_id: str
    score: float
    text_score: float
    reasons: list[Reason] = field(default_factory=list)


@dataclass(frozen=True)
class Weights:
    chain: float = 0.5
    same_node: float = 0.3  # share of the chain weight for a profile at the query's own node
    place: float = 0.25
    town: float = 0.6  # share of the place weight for the same town (park: 1)
    district: float = 0.2
    certs: float = 0.25
    fresh: float = 0.1
    fresh_days: float = 30.0
    gate_floor: float = 0.3
    gate_text: float = 0.3
    reason_terms: int = 5
    fresh_reason_days: int = 30


class _Interner:
    def __init__(self):
        self.codes: dict[str, int] = {"": 0}

    def __call__(self, value: str) -> int:
        return self.codes.setdefault(value or "", len(self.codes))

    def get(self, value: str) -> int:
        """The code of a value, -1 when unseen (so that it equals nothing); "" is never a match either."""
        return self.codes.get(value, -1) if value else -1


class MatchIndex:
    def __init__(self):  # use MatchIndex.build
        self.profiles: list[Profile] = []
        self.weights = Weights()

    # --- building ---------------------------------------------------------------------------------------------

    @classmethod
    def build(
        cls, profiles: Iterable[Profile], edges: Iterable[Sequence[str]] = (), *, weights: Weights | None = None
    ) -> MatchIndex:
        """Index profiles; edges are (supplier node, customer node) pairs. Profile ids must be unique."""
        self = cls()
        self.weights = weights or Weights()
        self.profiles = list(profiles)
        n = len(self.profiles)
        self.position = {}
        for i, profile in enumerate(self.profiles):
            if profile.id in self.position:
                raise ValueError(f"duplicate profile id {profile.id!r}")
            self.position[profile.id] = i

        self.suppliers_of: dict[str, list[str]] = {}
        self.customers_of: dict[str, list[str]] = {}
        for supplier, customer in ((str(e[0]), str(e[1])) for e in edges):
            if supplier == customer:
                continue
            if supplier not in self.suppliers_of.setdefault(customer, []):
                self.suppliers_of[customer].append(supplier)
            if customer not in self.customers_of.setdefault(supplier, []):
                self.customers_of[supplier].append(customer)

        # Chain nodes, certifications, places and kinds as columns.
        node_codes = sorted({code for p in self.profiles for code in p.nodes if code})
        self.node_column = {code: j for j, code in enumerate(node_codes)}
        self.node_matrix = np.zeros((n, max(1, len(node_codes))), dtype=bool)
        cert_codes = sorted({code for p in self.profiles for code in p.certifications if code})
        self.cert_column = {code: j for j, code in enumerate(cert_codes)}
        self.cert_matrix = np.zeros((n, max(1, len(cert_codes))), dtype=bool)
        self.towns, self.parks, self.districts, self.kinds = _Interner(), _Interner(), _Interner(), _Interner()
        town = np.zeros(n, dtype=np.int32)
        park = np.zeros(n, dtype=np.int32)
        district = np.zeros(n, dtype=np.int32)
        kind = np.zeros(n, dtype=np.int32)
        updated = np.full(n, -1, dtype=np.int64)
        for i, p in enumerate(self.profiles):
            for code in p.nodes:
                if code:
                    self.node_matrix[i, self.node_column[code]] = True
            for code in p.certifications:
                if code:
                    self.cert_matrix[i, self.cert_column[code]] = True
            town[i], park[i], district[i] = self.towns(p.town), self.parks(p.park), self.districts(p.district)
            kind[i] = self.kinds(p.kind)
            if p.updated is not None:
                updated[i] = p.updated.toordinal()
        self.town, self.park, self.district, self.kind, self.updated = town, park, district, kind, updated
        order = sorted(range(n), key=lambda i: self.profiles[i].id)
        self.id_rank = np.empty(n, dtype=np.int64)
        self.id_rank[order] = np.arange(n, dtype=np.int64)

        # Text: our own vocabulary (first-occurrence order), BM25 by bm25s.
        self.vocab: dict[str, int] = {}
        corpus: list[list[int]] = []
        for p in self.profiles:
            tokens = textmod.tokenize(f"{p.name}\n{p.description}")
            corpus.append([self.vocab.setdefault(token, len(self.vocab)) for token in tokens])
        self.bm25 = None
        if self.vocab:
            self.bm25 = bm25s.BM25()
            self.bm25.index((corpus, dict(self.vocab)), create_empty_token=False, show_progress=False)
            self._data = self.bm25.scores["data"]
            self._indices = self.bm25.scores["indices"]
            self._indptr = self.bm25.scores["indptr"]
        return self

    def __len__(self) -> int:
        return len(self.profiles)

    # --- searching --------------------------------------------------------------------------------------------

    def _query_tokens(self, query: Query) -> tuple[list[str], list[int]]:
        seen: dict[str, None] = {}
        for token in textmod.tokenize(query.text):
            if token in self.vocab:
                seen.setdefault(token, None)
        tokens = list(seen)
        return tokens, [self.vocab[token] for token in tokens]

    def _text_scores(self, ids: list[int]) -> np.ndarray:
        if self.bm25 is None or not ids:
            return np.zeros(len(self.profiles), dtype=np.float32)
        return self.bm25.get_scores_from_ids(ids)

    def _eligible(self, exclude_ids: Collection[str], kinds: Collection[str] | None) -> np.ndarray:
        eligible = np.ones(len(self.profiles), dtype=bool)
        if kinds is not None:
            codes = [self.kinds.codes[k] for k in kinds if k in self.kinds.codes]
            eligible &= np.isin(self.kind, np.asarray(codes, dtype=np.int32))
        for pid in exclude_ids:
            i = self.position.get(pid)
            if i is not None:
                eligible[i] = False
        return eligible

    def _top(self, score: np.ndarray, candidates: np.ndarray, k: int) -> list[int]:
        """Positions of the k best candidates by score, ties by profile id."""
        pool = np.flatnonzero(candidates)
        if k <= 0 or pool.size == 0:
            return []
        values = score[pool]
        if pool.size > k:
            threshold = np.partition(values, pool.size - k)[pool.size - k]
            keep = values >= threshold
            pool, values = pool[keep], values[keep]
        order = np.lexsort((self.id_rank[pool], -values))
        return [int(i) for i in pool[order[:k]]]

    def search_text_only(
        self, query: Query, k: int = 10, exclude_ids: Collection[str] = (), kinds: Collection[str] | None = None
    ) -> list[Match]:
        """Plain BM25: the profiles sharing words with the query, best first; reasons: text only."""
        if not self.profiles:
            return []
        tokens, ids = self._query_tokens(query)
        text = self._text_scores(ids)
        candidates = self._eligible(exclude_ids, kinds) & (text > 0)
        forms = textmod.surface_forms(query.text)
        return [
            Match(
                profile_id=self.profiles[i].id,
                score=round(float(text[i]), 6),
                text_score=round(float(text[i]), 6),
                reasons=self._text_reason(i, tokens, ids, forms),
            )
            for i in self._top(text.astype(np.float64), candidates, k)
        ]

    def search(
        self, query: Query, k: int = 10, exclude_ids: Collection[str] = (), kinds: Collection[str] | None = None
    ) -> list[Match]:
        """The full matcher (see the module docstring); `kinds` limits the candidates to those profile kinds."""
        if not self.profiles:
            return []
        w = self.weights
        n = len(self.profiles)
        tokens, ids = self._query_tokens(query)
        text = self._text_scores(ids).astype(np.float64)
        eligible = self._eligible(exclude_ids, kinds)
        best = float(text[eligible].max()) if eligible.any() else 0.0
        t = text / best if best > 0 else np.zeros(n)

        qnodes = query.all_nodes
        partner_nodes = self._partner_nodes(query)
        partner = self._has_any_node(partner_nodes)
        same = self._has_any_node(qnodes)
        chain = np.where(partner, 1.0, np.where(same, w.same_node, 0.0))

        place = np.zeros(n)
        if query.district:
            place[self.district == self.districts.get(query.district)] = w.district
        if query.town:
            place[self.town == self.towns.get(query.town)] = w.town
        if query.park:
            place[self.park == self.parks.get(query.park)] = 1.0

        wanted = self._wanted_certifications(query)
        certs = np.zeros(n)
        if wanted:
            columns = [self.cert_column[c] for c in wanted if c in self.cert_column]
            if columns:
                certs = self.cert_matrix[:, columns].sum(axis=1) / len(wanted)

        fresh = np.zeros(n)
        if query.as_of is not None:
            dated = self.updated >= 0
            days = np.maximum(query.as_of.toordinal() - self.updated, 0)
            fresh = np.where(dated, np.exp(-days / w.fresh_days), 0.0)

        gate = w.gate_floor + (1 - w.gate_floor) * np.minimum(1.0, t / w.gate_text)
        score = t + gate * (w.chain * chain + w.place * place + w.certs * certs + w.fresh * fresh)
        candidates = eligible & ((text > 0) | (chain > 0))
        forms = textmod.surface_forms(query.text)
        matches = []
        for i in self._top(score, candidates, k):
            reasons = self._text_reason(i, tokens, ids, forms)
            reasons += self._chain_reasons(i, qnodes, partner_nodes, query.is_offer)
            reasons += self._place_reasons(i, query)
            held = [c for c in wanted if c in self.cert_column and self.cert_matrix[i, self.cert_column[c]]]
            if held:
                reasons.append(Reason("certification", {"codes": held}))
            if query.as_of is not None and self.updated[i] >= 0:
                days = max(0, query.as_of.toordinal() - int(self.updated[i]))
                if days <= w.fresh_reason_days:
                    reasons.append(Reason("fresh", {"days": days}))
            matches.append(
                Match(
                    profile_id=self.profiles[i].id,
                    score=round(float(score[i]), 6),
                    text_score=round(float(text[i]), 6),
                    reasons=reasons,
                )
            )
        return matches

    # --- signals and reasons ----------------------------------------------------------------------------------

    def _partner_nodes(self, query: Query) -> list[str]:
        """Nodes whose profiles are natural partners: suppliers of a request's nodes, customers of an offer's."""
        graph = self.customers_of if query.is_offer else self.suppliers_of
        own = set(query.all_nodes)
        seen: dict[str, None] = {}
        for code in query.all_nodes:
            for other in graph.get(code, ()):
                if other not in own:
                    seen.setdefault(other, None)
        return list(seen)

    def _has_any_node(self, codes: Iterable[str]) -> np.ndarray:
        columns = [self.node_column[c] for c in codes if c in self.node_column]
        if not columns:
            return np.zeros(len(self.profiles), dtype=bool)
        return self.node_matrix[:, columns].any(axis=1)

    def _wanted_certifications(self, query: Query) -> list[str]:
        seen: dict[str, None] = {}
        for code in tuple(query.certifications) + textmod.requested_certifications(query.text):
            if code:
                seen.setdefault(code, None)
        return list(seen)

    def _text_reason(self, i: int, tokens: list[str], ids: list[int], forms: dict[str, str]) -> list[Reason]:
        if self.bm25 is None or not ids:
            return []
        matched: list[tuple[float, str]] = []
        for token, tid in zip(tokens, ids, strict=True):
            start, end = int(self._indptr[tid]), int(self._indptr[tid + 1])
            column = self._indices[start:end]
            at = int(np.searchsorted(column, i))
            if at < column.size and int(column[at]) == i:
                matched.append((float(self._data[start + at]), token))
        if not matched:
            return []
        words = {token for _, token in matched}
        kept = [(s, tok) for s, tok in matched if not any(tok != other and tok in other for other in words)]
        kept.sort(key=lambda pair: (-pair[0], pair[1]))
        terms = [forms.get(tok, tok) for _, tok in kept[: self.weights.reason_terms]]
        return [Reason("text", {"terms": terms})]

    def _chain_reasons(self, i: int, qnodes: tuple[str, ...], partners: list[str], offer: bool) -> list[Reason]:
        profile_nodes = self.profiles[i].nodes
        graph = self.customers_of if offer else self.suppliers_of
        for node in profile_nodes:
            if node in partners:
                target = next((q for q in qnodes if node in graph.get(q, ())), qnodes[0] if qnodes else "")
                return [Reason("downstream" if offer else "upstream", {"node": node, "for": target})]
        for node in profile_nodes:
            if node in qnodes:
                return [Reason("same_node", {"node": node})]
        return []

    def _place_reasons(self, i: int, query: Query) -> list[Reason]:
        p = self.profiles[i]
        if query.park and p.park == query.park:
            return [Reason("same_park", {"park": p.park})]
        if query.town and p.town == query.town:
            return [Reason("same_town", {"town": p.town})]
        if query.district and p.district == query.district:
            return [Reason("same_district", {"district": p.district})]
        return []
