"""Chinese text for the matcher: normalisation, tokenisation and the certifications a text asks for.

normalize(text)
    NFKC (full-width letters, digits and punctuation become their ASCII forms), traditional → simplified
    characters (zhconv, offline dictionary), lower case, and standard codes written with a space joined
    ("ISO 13485" → "iso13485"). Text longer than MAX_TEXT_CHARS is cut there first, so an oversized
    description costs bounded time instead of failing.

tokenize(text)
    rjieba (the Rust port of jieba, with jieba's own dictionary built in) in search mode, which emits a
    long dictionary word and its dictionary sub-words ("细胞治疗" → 细胞治疗, 细胞, 治疗), so that a posting
    saying 细胞治疗 and one saying 细胞 治疗 meet. The biomedical user dictionary (data/biomed_dict.txt) keeps
    terms such as GMP车间, 一次性生物反应器 or CAR-T whole; search mode also gives the parts of hyphenated
    English terms ("fill-finish" → fill, finish, fill-finish). Stop words (data/stopwords.txt), one-character
    tokens and punctuation are dropped.

requested_certifications(text)
    Certification codes of the registry (gmp, iso13485, device-license, …) that the text asks a partner to
    hold: a keyword next to a requirement word ("需具备GMP资质", "通过ISO 13485认证", "持有医疗器械生产许可证").
    A bare mention ("GMP厂房出租") is not a requirement.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import zhconv

DATA_DIR = Path(__file__).parent / "data"
USER_DICTIONARY = DATA_DIR / "biomed_dict.txt"
STOP_WORDS_FILE = DATA_DIR / "stopwords.txt"

MAX_TEXT_CHARS = 20_000
# Frequency given to user-dictionary terms without their own: high enough that the segmenter keeps them whole.
USER_TERM_FREQUENCY = 200_000

# Standard codes written with a space or hyphen ("ISO 13485", "GB 9706", "YY/T 0287" stays as is).
_CODE_WITH_SPACE = re.compile(r"(?<![a-z])(iso|iec|gb|yy|astm|usp)[\s\-]+(\d{3,})(?!\d)", re.IGNORECASE)
_WORDLIKE = re.compile(r"\w")
_ASCII_RUN = re.compile(r"[a-z0-9]")
_SCRIPT_RUN = re.compile(r"[a-z0-9][a-z0-9\-\.]*[a-z0-9]|[\u3400-\u9fff]+")

# code → keywords (normalised) naming the certification.
CERTIFICATION_KEYWORDS: dict[str, tuple[str, ...]] = {
    "gmp": ("gmp", "药品生产质量管理规范"),
    "iso13485": ("iso13485", "13485"),
    "device-license": ("医疗器械生产许可证", "器械生产许可证", "器械生产许可"),
    "hnte": ("高新技术企业",),
    "srdi": ("专精特新",),
}
_REQUIRE_BEFORE = "具备|具有|持有|取得|获得|通过|符合|满足|要求|须有|需有|需持|须持|必须|需|须"
_REQUIRE_AFTER = "资质|认证|证书|符合性|体系|合规|要求|标准|许可|条件"


def _cert_patterns() -> dict[str, re.Pattern]:
    patterns = {}
    for code, keywords in CERTIFICATION_KEYWORDS.items():
        words = "|".join(re.escape(word) for word in keywords)
        patterns[code] = re.compile(
            rf"(?:(?:{_REQUIRE_BEFORE})[^,。;;!?\n]{{0,10}}(?:{words}))|(?:(?:{words})[^,。;;!?\n]{{0,6}}(?:{_REQUIRE_AFTER}))"
        )
    return patterns


_CERT_PATTERNS = _cert_patterns()


@lru_cache(maxsize=1)
def _traditional_chars() -> re.Pattern:
    """Characters zhconv turns into another one on their own: a text without any is already simplified."""
    from zhconv import zhconv as tables

    chars = sorted(k for k, v in tables.getdict("zh-hans").items() if len(k) == 1 and k != v)
    return re.compile("[" + "".join(re.escape(ch) for ch in chars) + "]")


def to_simplified(text: str) -> str:
    """Traditional → simplified (zhconv, MediaWiki tables); simplified text is returned as is, quickly."""
    if text.isascii() or not _traditional_chars().search(text):
        return text
    return zhconv.convert(text, "zh-hans")


def normalize(text: str | None) -> str:
    """NFKC, traditional → simplified, lower case; None and empty text give ""."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)[:MAX_TEXT_CHARS])
    return _CODE_WITH_SPACE.sub(r"\1\2", to_simplified(text).lower())


def _read_lines(path: Path) -> list[str]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    return frozenset(normalize(line) for line in _read_lines(STOP_WORDS_FILE))


def _parse_user_term(line: str) -> tuple[str, int]:
    """A line "term [freq [tag]]"; a term may contain spaces ("ISO 13485") when no frequency follows."""
    parts = line.rsplit(maxsplit=2)
    if len(parts) >= 2 and parts[-1].isdigit():
        return normalize(" ".join(parts[:-1])), int(parts[-1])
    if len(parts) == 3 and parts[-2].isdigit():
        return normalize(parts[0]), int(parts[1])
    return normalize(line), USER_TERM_FREQUENCY


@lru_cache(maxsize=1)
def user_terms() -> tuple[str, ...]:
    """The user dictionary's terms, normalised, in file order without repeats."""
    seen: dict[str, None] = {}
    for line in _read_lines(USER_DICTIONARY):
        term, _freq = _parse_user_term(line)
        if term:
            seen.setdefault(term, None)
    return tuple(seen)


_segmenter = None
_segmenter_lock = threading.Lock()


def segmenter():
    """The process's rjieba segmenter with the user dictionary loaded (built once, ~0.3 s)."""
    global _segmenter
    if _segmenter is None:
        with _segmenter_lock:
            if _segmenter is None:
                import rjieba

                jieba = rjieba.Jieba()
                for line in _read_lines(USER_DICTIONARY):
                    term, freq = _parse_user_term(line)
                    if term and " " not in term:
                        jieba.add_word(term, freq, "nz")
                _segmenter = jieba
    return _segmenter


def tokens_of_normalized(text: str) -> list[str]:
    """Tokens of text that is already normalize()d (the index normalises once and reuses the text)."""
    if not text:
        return []
    stops = stop_words()
    wordlike = _WORDLIKE.search
    out: list[str] = []
    for raw in segmenter().cut_for_search(text):
        token = raw.strip()
        if len(token) < 2 or token in stops or not (token.isalnum() or wordlike(token)):
            continue
        if not token.isascii() and _ASCII_RUN.search(token):
            # A mixed dictionary term ("mrna疫苗", "gmp车间") also yields its English and Chinese parts.
            recent = out[-6:]
            for part in _SCRIPT_RUN.findall(token):
                if len(part) >= 2 and part != token and part not in stops and part not in recent:
                    out.append(part)
        out.append(token)
    return out


def tokenize(text: str | None) -> list[str]:
    """The matching tokens of a text, in order, repeats kept (term frequency counts)."""
    return tokens_of_normalized(normalize(text))


def requested_certifications(text: str | None) -> tuple[str, ...]:
    """Certification codes the text asks a partner to hold, in CERTIFICATION_KEYWORDS order."""
    norm = normalize(text)
    if not norm:
        return ()
    return tuple(code for code, pattern in _CERT_PATTERNS.items() if pattern.search(norm))


def surface_forms(text: str | None) -> dict[str, str]:
    """Normalised ASCII token → its spelling in the text (case kept), for showing matched terms ("GMP")."""
    if not text:
        return {}
    folded = _CODE_WITH_SPACE.sub(r"\1\2", to_simplified(unicodedata.normalize("NFKC", str(text)[:MAX_TEXT_CHARS])))
    forms: dict[str, str] = {}
    for match in re.finditer(r"[A-Za-z][A-Za-z0-9\-\.]*", folded):
        word = match.group(0).rstrip(".-")
        forms.setdefault(word.lower(), word)
    return forms
