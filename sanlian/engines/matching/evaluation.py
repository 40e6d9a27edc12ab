"""Offline evaluation of the matcher on a labelled set: nDCG@10 and recall@20, text-only BM25 against the full
matcher.

Profile lines (JSON objects): {"id", "name", "description", "nodes": [...], "town", "park", "certifications": [...]}
and optionally "district", "kind", "updated" (YYYY-MM-DD).
Query lines: {"id", "text", "node", "town", "relevant": {"<profile id>": grade 1–3}} and optionally "nodes",
"park", "district", "certifications", "kind", "as_of".

nDCG@k uses the exponential gain (2^grade − 1) / log2(rank + 1) and the ideal ordering of the query's own
labels; recall@k is the share of the profiles with a grade ≥ 1 found in the first k. Both are averaged over
the queries (a query without relevant profiles is refused when loading: it cannot be scored).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sanlian.engines.matching.index import MatchIndex, Profile, Query

NDCG_K = 10
RECALL_K = 20


class EvaluationInputError(ValueError):
    """A bad line of a profile or query file: `code`, 1-based `line`, `field` and `params` for the message."""

    def __init__(self, code: str, *, path: str = "", line: int = 0, field: str = "", params: dict | None = None):
        self.code, self.path, self.line, self.field, self.params = code, path, line, field, params or {}
        where = f"{path}:{line}" if path else f"line {line}"
        super().__init__(f"{where}: {code} {field}".strip())


@dataclass(frozen=True)
class LabelledQuery:
    id: str
    query: Query
    relevant: dict[str, int]


def _text(obj: dict, key: str, *, required: bool, path: str, line: int) -> str:
    value = obj.get(key)
    if value is None or value == "":
        if required:
            raise EvaluationInputError("missing", path=path, line=line, field=key)
        return ""
    if not isinstance(value, str | int):
        raise EvaluationInputError("not_text", path=path, line=line, field=key)
    return str(value)


def _codes(obj: dict, key: str, *, path: str, line: int) -> tuple[str, ...]:
    value = obj.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EvaluationInputError("not_list", path=path, line=line, field=key)
    return tuple(v for v in value if v)


def _date(obj: dict, key: str, *, path: str, line: int) -> date | None:
    value = obj.get(key)
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise EvaluationInputError("bad_date", path=path, line=line, field=key) from None


def _json_lines(lines: Iterable[str], path: str) -> Iterator[tuple[int, dict]]:
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError:
            raise EvaluationInputError("bad_json", path=path, line=number) from None
        if not isinstance(obj, dict):
            raise EvaluationInputError("not_object", path=path, line=number)
        yield number, obj


def profile_from_dict(obj: dict, *, path: str = "", line: int = 0) -> Profile:
    return Profile(
        id=_text(obj, "id", required=True, path=path, line=line),
        name=_text(obj, "name", required=False, path=path, line=line),
        description=_text(obj, "description", required=False, path=path, line=line),
        nodes=_codes(obj, "nodes", path=path, line=line),
        town=_text(obj, "town", required=False, path=path, line=line),
        park=_text(obj, "park", required=False, path=path, line=line),
        district=_text(obj, "district", required=False, path=path, line=line),
        certifications=_codes(obj, "certifications", path=path, line=line),
        kind=_text(obj, "kind", required=False, path=path, line=line),
        updated=_date(obj, "updated", path=path, line=line),
    )


def query_from_dict(obj: dict, *, path: str = "", line: int = 0) -> LabelledQuery:
    qid = _text(obj, "id", required=True, path=path, line=line)
    relevant = obj.get("relevant")
    if not isinstance(relevant, dict) or not relevant:
        raise EvaluationInputError("no_relevant", path=path, line=line, field="relevant")
    grades: dict[str, int] = {}
    for pid, grade in relevant.items():
        if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 3:
            raise EvaluationInputError("bad_grade", path=path, line=line, field="relevant", params={"id": pid})
        grades[str(pid)] = grade
    query = Query(
        text=_text(obj, "text", required=False, path=path, line=line),
        node=_text(obj, "node", required=False, path=path, line=line) or None,
        nodes=_codes(obj, "nodes", path=path, line=line),
        town=_text(obj, "town", required=False, path=path, line=line),
        park=_text(obj, "park", required=False, path=path, line=line),
        district=_text(obj, "district", required=False, path=path, line=line),
        certifications=_codes(obj, "certifications", path=path, line=line),
        kind=_text(obj, "kind", required=False, path=path, line=line),
        as_of=_date(obj, "as_of", path=path, line=line),
    )
    return LabelledQuery(id=qid, query=query, relevant=grades)


def read_profiles(lines: Iterable[str], path: str = "") -> list[Profile]:
    profiles, seen = [], set()
    for number, obj in _json_lines(lines, path):
        profile = profile_from_dict(obj, path=path, line=number)
        if profile.id in seen:
            raise EvaluationInputError("duplicate_id", path=path, line=number, field="id", params={"id": profile.id})
        seen.add(profile.id)
        profiles.append(profile)
    return profiles


def read_queries(lines: Iterable[str], path: str = "", profile_ids: set[str] | None = None) -> list[LabelledQuery]:
    queries, seen = [], set()
    for number, obj in _json_lines(lines, path):
        labelled = query_from_dict(obj, path=path, line=number)
        if labelled.id in seen:
            raise EvaluationInputError("duplicate_id", path=path, line=number, field="id", params={"id": labelled.id})
        if profile_ids is not None:
            unknown = sorted(set(labelled.relevant) - profile_ids)
            if unknown:
                raise EvaluationInputError(
                    "unknown_profile", path=path, line=number, field="relevant", params={"id": unknown[0]}
                )
        seen.add(labelled.id)
        queries.append(labelled)
    return queries


def read_files(profiles_path: Path, queries_path: Path) -> tuple[list[Profile], list[LabelledQuery]]:
    with open(profiles_path, encoding="utf-8") as handle:
        profiles = read_profiles(handle, str(profiles_path))
    with open(queries_path, encoding="utf-8") as handle:
        queries = read_queries(handle, str(queries_path), {p.id for p in profiles})
    return profiles, queries


def ndcg_at(ranked: list[str], relevant: dict[str, int], k: int = NDCG_K) -> float:
    dcg = sum((2 ** relevant.get(pid, 0) - 1) / math.log2(rank + 2) for rank, pid in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at(ranked: list[str], relevant: dict[str, int], k: int = RECALL_K) -> float:
    wanted = {pid for pid, grade in relevant.items() if grade >= 1}
    return len(wanted.intersection(ranked[:k])) / len(wanted) if wanted else 0.0


def _gain(new: float, old: float) -> float | None:
    return round((new - old) / old, 4) if old > 0 else None


def evaluate(index: MatchIndex, queries: list[LabelledQuery], *, per_query: bool = False) -> dict:
    """Scores of text-only BM25 and of the full matcher; figures rounded to 4 decimals."""
    depth = max(NDCG_K, RECALL_K)
    totals = {"text_only": [0.0, 0.0], "full": [0.0, 0.0]}
    rows = []
    for labelled in queries:
        runs = {
            "text_only": index.search_text_only(labelled.query, k=depth),
            "full": index.search(labelled.query, k=depth),
        }
        row = {"id": labelled.id, "relevant": len(labelled.relevant)}
        for name, matches in runs.items():
            ranked = [m.profile_id for m in matches]
            ndcg, recall = ndcg_at(ranked, labelled.relevant), recall_at(ranked, labelled.relevant)
            totals[name][0] += ndcg
            totals[name][1] += recall
            row[name] = {"ndcg@10": round(ndcg, 4), "recall@20": round(recall, 4)}
        rows.append(row)
    count = len(queries)
    result: dict = {"profiles": len(index), "queries": count}
    for name, (ndcg, recall) in totals.items():
        result[name] = {
            "ndcg@10": round(ndcg / count, 4) if count else 0.0,
            "recall@20": round(recall / count, 4) if count else 0.0,
        }
    result["gain"] = {
        "ndcg@10": _gain(result["full"]["ndcg@10"], result["text_only"]["ndcg@10"]),
        "recall@20": _gain(result["full"]["recall@20"], result["text_only"]["recall@20"]),
    }
    if per_query:
        result["per_query"] = rows
    return result
