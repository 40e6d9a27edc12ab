"""Search text: the tokens a document is indexed by and the full-text query a search box's words make.

Tokens come from the matching engine's normaliser and rjieba tokeniser (sanlian.engines.matching.text: NFKC,
traditional → simplified, lower case, search mode with the shared biomedical dictionary, stop words dropped),
so search, matching and related articles read Chinese the same way. Two additions, both for short queries:

- A title is also indexed by the two-character pieces of its Chinese runs ("复宏汉霖" → 复宏 宏汉 汉霖), so a
  part of a name that the segmenter does not cut out ("汉霖") still finds the enterprise.
- A query is cut into words (jieba's precise mode); each word is one AND-ed group that any of three forms
  satisfies: the word itself, all its search-mode sub-words ("医疗器械" → 医疗 AND 器械), or all its
  two-character pieces (title only). English words and codes of 3+ characters also match as a prefix.

The query is returned as a small tree (`Query`) and written out for each database by `fts5()` (SQLite FTS5
MATCH syntax) and `tsquery()` (PostgreSQL to_tsquery syntax with the 'simple' configuration).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sanlian.engines.matching import text as textmod

MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS = 8
_CJK_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
_ASCII_WORD = re.compile(r"^[a-z0-9][a-z0-9\-\.]*$")
PREFIX_MIN = 3


def cjk_bigrams(normalized: str) -> list[str]:
    out: list[str] = []
    for run in _CJK_RUN.findall(normalized):
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def document_tokens(title: str, body: str) -> tuple[str, str]:
    """(title tokens, body tokens), each a space-separated string for the full-text index."""
    title_norm = textmod.normalize(title)
    title_tokens = textmod.tokens_of_normalized(title_norm) + cjk_bigrams(title_norm)
    return " ".join(title_tokens), " ".join(textmod.tokenize(body))


@dataclass(frozen=True)
class Group:
    """One query word: matched by any of its alternatives, each a set of tokens that must all be there."""

    word: str
    alternatives: tuple[tuple[str, ...], ...]
    prefix: bool = False  # the word alone may also match as a prefix (English words, codes)


@dataclass(frozen=True)
class Query:
    groups: tuple[Group, ...]

    def __bool__(self) -> bool:
        return bool(self.groups)

    def terms(self) -> list[str]:
        """Every token of the query, longest first (for highlighting)."""
        seen = {token for group in self.groups for alt in group.alternatives for token in alt}
        return sorted(seen, key=lambda t: (-len(t), t))


def _group(word: str) -> Group | None:
    stops = textmod.stop_words()
    if len(word) < 2 or word in stops:
        return None
    subwords = tuple(dict.fromkeys(t for t in textmod.tokens_of_normalized(word) if t != word))
    alternatives: list[tuple[str, ...]] = [(word,)]
    if subwords:
        alternatives.append(subwords)
    pieces = tuple(dict.fromkeys(cjk_bigrams(word)))
    if len(pieces) > 1:
        alternatives.append(pieces)
    return Group(
        word=word, alternatives=tuple(alternatives), prefix=bool(_ASCII_WORD.match(word)) and len(word) >= PREFIX_MIN
    )


def _is_cjk_char(word: str) -> bool:
    return len(word) == 1 and "\u3400" <= word <= "\u9fff"


def _words(norm: str) -> list[str]:
    """jieba's precise cut, with a lone Chinese character joined to its neighbour ("类"+"器官" → "类器官"):
    alone it would be dropped, and the neighbour alone would find far more than was asked."""
    words: list[str] = []
    pending = ""
    previous_cjk = False
    for raw in textmod.segmenter().cut(norm):
        word = raw.strip()
        if not word:
            previous_cjk = False
            continue
        if _is_cjk_char(word):
            pending += word
            continue
        if pending:
            if _CJK_RUN.match(word[:1] * 2):
                word = pending + word
            else:
                words.append(pending)
            pending = ""
        words.append(word)
        previous_cjk = bool(_CJK_RUN.match(word[-1:] * 2))
    if pending:
        if words and previous_cjk:
            words[-1] += pending
        else:
            words.append(pending)
    return words


def parse(text: str | None) -> Query:
    """The query the search box's text asks; empty when nothing in it can be searched (one character, stop words)."""
    norm = textmod.normalize((text or "").replace("\x00", "")[:MAX_QUERY_CHARS])
    groups: list[Group] = []
    seen: set[str] = set()
    for word in _words(norm):
        if not word or word in seen or not any(ch.isalnum() for ch in word):
            continue
        seen.add(word)
        group = _group(word)
        if group is not None:
            groups.append(group)
        if len(groups) == MAX_QUERY_WORDS:
            break
    return Query(groups=tuple(groups))


def _fts5_token(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts5(query: Query) -> str:
    """SQLite FTS5 MATCH expression: groups AND-ed, alternatives OR-ed, tokens quoted (never parsed as syntax)."""
    parts = []
    for group in query.groups:
        alts = ["(" + " AND ".join(_fts5_token(t) for t in alt) + ")" for alt in group.alternatives]
        if group.prefix:
            alts.append(_fts5_token(group.word) + "*")
        parts.append("(" + " OR ".join(alts) + ")")
    return " AND ".join(parts)


def _ts_token(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _needed(group: Group) -> tuple[tuple[str, ...], ...]:
    """The alternatives a match needs: one whose tokens include another's is implied by it ("生物 物科 科技"
    by "生物 科技"), and the word alone by its prefix form."""
    sets = [frozenset(alt) for alt in group.alternatives]
    out = []
    for i, alt in enumerate(group.alternatives):
        if group.prefix and alt == (group.word,):
            continue
        if any(other < sets[i] or (other == sets[i] and j < i) for j, other in enumerate(sets) if j != i):
            continue
        out.append(alt)
    return tuple(out)


def tsquery(query: Query, *, for_match: bool = False) -> str:
    """PostgreSQL to_tsquery('simple', …) text: the same tree, lexemes quoted. `for_match` leaves out the
    alternatives another one implies: the same documents match, with fewer GIN posting lists to read (ranking
    uses the full tree, so scores are unchanged)."""
    parts = []
    for group in query.groups:
        alternatives = _needed(group) if for_match else group.alternatives
        alts = ["(" + " & ".join(_ts_token(t) for t in alt) + ")" for alt in alternatives]
        if group.prefix:
            alts.append(_ts_token(group.word) + ":*")
        parts.append("(" + " | ".join(alts) + ")")
    return " & ".join(parts)


def snippet_spans(text: str, terms: list[str], width: int = 80) -> tuple[int, int, list[tuple[int, int]]]:
    """(start, end, highlighted spans) of a window of `text` around the first query term found.

    Found by lower-case search of the original text, so the snippet shows the text as written; a term only
    present after normalisation (traditional characters, full-width letters) is simply not highlighted.
    """
    folded = text.lower()
    first = min((pos for term in terms if (pos := folded.find(term)) >= 0), default=-1)
    start = max(0, first - width // 4) if first >= 0 else 0
    end = min(len(text), start + width)
    spans: list[tuple[int, int]] = []
    window = folded[start:end]
    for term in terms:
        offset = 0
        while (pos := window.find(term, offset)) >= 0:
            span = (start + pos, start + pos + len(term))
            if not any(a < span[1] and span[0] < b for a, b in spans):
                spans.append(span)
            offset = pos + len(term)
    return start, end, sorted(spans)
