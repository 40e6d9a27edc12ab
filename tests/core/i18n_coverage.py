"""Find Chinese text that reaches users without being marked for translation.

tests/core/test_i18n.py proves the catalogue is complete; this proves nothing Chinese escapes the catalogue:

- templates: CJK outside {% translate %}, {% blocktranslate %}…{% endblocktranslate %}, _("…") and comments;
- Python under sanlian/: CJK string literals that are not the argument of a gettext function, leaving out
  docstrings, sanlian/demo/ (demo data is data), migrations, bilingual API documentation (description= and
  summary= in the API modules, which carry "中文 / English" for integrators) and ALLOWED below;
- sanlian/static/js/*.js: CJK outside comments (a script's words come from translated data attributes or
  json_script in its template).

Each finding is "path:line: text" so a failing test says where to look.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "sanlian"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

GETTEXT = frozenset(
    {
        "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy",
        "pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Allowed:
    """Chinese in Python that is data, not UI: `scope` is the enclosing top-level name (Class.attr, function),
    or "*" for a whole module whose Chinese is one language's formatting rules."""

    path: str
    scope: str
    reason: str


VOCABULARY = "parser vocabulary: the Chinese words officers' sheets carry, read whatever the UI language"
SAMPLE = "the sample row of an import template: data in the sheet's own language"
ALLOWED: tuple[Allowed, ...] = (
    *(
        Allowed("sanlian/imports/kinds.py", scope, VOCABULARY)
        for scope in ("USCC", "ENTERPRISE_COLUMNS", "REPORT_COLUMNS", "CERTIFICATION_COLUMNS")
    ),
    Allowed("sanlian/imports/kinds.py", "EnterpriseImporter.example", SAMPLE),
    Allowed("sanlian/imports/kinds.py", "CertificationImporter.example", SAMPLE),
    Allowed("sanlian/imports/space_kind.py", "LISTING_COLUMNS", VOCABULARY),
    Allowed("sanlian/imports/space_kind.py", "SpaceListingImporter.example", SAMPLE),
    Allowed("sanlian/imports/talent_kind.py", "TALENT_COLUMNS", VOCABULARY),
    Allowed("sanlian/imports/talent_kind.py", "TalentImporter.example", SAMPLE),
    *(
        Allowed("sanlian/servicedesk/ip_import.py", scope, VOCABULARY)
        for scope in ("COLUMNS", "REQUIRED", "COLUMN_ALIASES", "KIND_LABELS", "STATUS_LABELS")
    ),
    Allowed("sanlian/servicedesk/ip_import.py", "_import_row", "names the sheet's USCC column as the sheet heads it"),
    Allowed("sanlian/servicedesk/ip_import.py", "template_workbook", SAMPLE),
    Allowed("sanlian/core/rowpipe.py", "YUAN", "the money unit codes 元/万元 that sheets and saved mappings carry"),
    Allowed("sanlian/core/rowpipe.py", "_UNIT_SUFFIX", "a regex for a header's unit suffix: 营业收入(万元)"),
    Allowed("sanlian/core/rowpipe.py", "TRUE_WORDS", VOCABULARY),
    Allowed("sanlian/core/rowpipe.py", "FALSE_WORDS", VOCABULARY),
    Allowed("sanlian/core/sheets.py", "_DATE_TEXT", "a regex for dates written 2024年5月1日"),
    Allowed("sanlian/imports/engine.py", "find_mapping", "the unit codes 元/万元 a saved mapping stores"),
    Allowed("sanlian/servicedesk/ip_numbers.py", "_SOFTWARE", "a regex for software copyright numbers (软著登字第…号)"),
    Allowed("sanlian/servicedesk/ip_numbers.py", "_TRADEMARK", "a regex for trademark numbers (第…号)"),
    *(
        Allowed("sanlian/engines/matching/text.py", scope, "the matcher's vocabulary for Chinese requirement texts")
        for scope in ("CERTIFICATION_KEYWORDS", "_REQUIRE_AFTER", "_REQUIRE_BEFORE")
    ),
    Allowed("sanlian/chain/gaps.py", "CERTIFICATION_ALIASES", "how Chinese postings name certifications"),
    Allowed("sanlian/engines/workdays/loader.py", "FESTIVALS", "the festival names of the State Council holiday file"),
    Allowed(
        "sanlian/community/event_forms.py", "KIND_WORDS", "question-type words an organiser types (评分/单选/文字)"
    ),
    Allowed("sanlian/search/text.py", "_is_cjk_char", "the CJK code-point range the tokenizer splits on"),
    Allowed("sanlian/search/views.py", "SUGGESTIONS", "example searches: words that match the Chinese records"),
    Allowed("sanlian/talent/officer_views.py", "BLANK_ROUND", "the YAML a new round starts from: the round's data"),
    *(
        Allowed(path, "*", "the Chinese way of writing dates and money (年月日, 元/万元/亿元), used only for zh")
        for path in (
            "sanlian/config/formats/zh_Hans/formats.py",
            "sanlian/engines/formats/dates.py",
            "sanlian/engines/formats/numbers.py",
        )
    ),
    Allowed("sanlian/config/settings.py", "LANGUAGES", "a language is named in its own language in the switcher"),
    *(
        Allowed(path, scope, "command-line help, in English, quoting a town name as the data spells it")
        for path in ("sanlian/dashboard/management/commands/stats.py", "sanlian/talent/management/commands/talent.py")
        for scope in ("Command.help", "Command.add_arguments")
    ),
    Allowed(
        "sanlian/servicedesk/management/commands/ip.py",
        "Command.add_arguments",
        "command-line help (English) quoting a town name as the data spells it",
    ),
)

API_MODULE = re.compile(r"(^|/)(api|[a-z_]+_api|schemas)\.py$")
API_DOC_KEYWORDS = frozenset({"description", "summary"})
# Bilingual: "中文 / English" or an English phrase beside the Chinese.
ENGLISH = re.compile(r"(?<![A-Za-z])/\s*[A-Za-z0-9]|[A-Za-z]{3,}[ ,.][A-Za-z]{2,}")


def rel(path: Path) -> str:
    """The path as findings name it: relative to the repository (a file elsewhere keeps its full path)."""
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.as_posix()


def _blank(match: re.Match) -> str:
    """The matched text as spaces, newlines kept, so line numbers stay true."""
    return re.sub(r"[^\n]", " ", match.group(0))


TEMPLATE_SKIPS = (
    re.compile(r"{%-?\s*comment\b.*?%}.*?{%-?\s*endcomment\s*-?%}", re.S),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{%-?\s*blocktrans(?:late)?\b.*?%}.*?{%-?\s*endblocktrans(?:late)?\s*-?%}", re.S),
    re.compile(r"{%-?\s*trans(?:late)?\s.*?%}", re.S),
    re.compile(r"""\b_\(\s*(?:"[^"]*"|'[^']*')\s*\)""", re.S),
)


def template_findings(path: Path, text: str | None = None) -> list[str]:
    text = path.read_text(encoding="utf-8") if text is None else text
    for skip in TEMPLATE_SKIPS:
        text = skip.sub(_blank, text)
    return [
        f"{rel(path)}:{number}: {line.strip()[:120]}"
        for number, line in enumerate(text.splitlines(), start=1)
        if CJK.search(line)
    ]


def _gettext_names(tree: ast.Module) -> set[str]:
    """The names this module calls gettext by (`gettext as _`, `gettext_lazy as _l`, …)."""
    names = set(GETTEXT)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            names |= {alias.asname or alias.name for alias in node.names if alias.name in GETTEXT}
    return names


def _called(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _scope_names(tree: ast.Module) -> dict[int, str]:
    """id(node) → the top-level name it sits under: a function, a class attribute (Class.attr) or an assignment."""
    scopes: dict[int, str] = {}

    def mark(node: ast.AST, name: str) -> None:
        for sub in ast.walk(node):
            scopes.setdefault(id(sub), name)

    def targets(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Assign):
            flat = [e for t in node.targets for e in (t.elts if isinstance(t, ast.Tuple) else [t])]
            return [t.id for t in flat if isinstance(t, ast.Name)]
        if isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(node.target, ast.Name):
            return [node.target.id]
        return []

    for top in tree.body:
        if isinstance(top, ast.ClassDef):
            for item in top.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    mark(item, f"{top.name}.{item.name}")
                elif names := targets(item):
                    mark(item, f"{top.name}.{names[0]}")
            mark(top, top.name)
        elif isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef):
            mark(top, top.name)
        elif names := targets(top):
            mark(top, names[0])
    return scopes


def python_literals(path: Path, text: str | None = None) -> list[tuple[int, str, str]]:
    """(line, scope, text) of every CJK string literal not marked for translation nor documenting the API."""
    text = path.read_text(encoding="utf-8") if text is None else text
    if not CJK.search(text):
        return []
    name = rel(path)
    tree = ast.parse(text)
    gettext = _gettext_names(tree) | GETTEXT
    fine: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                fine.add(id(first.value))  # a docstring
        if isinstance(node, ast.Call) and _called(node) in gettext:
            fine |= {id(sub) for arg in node.args for sub in ast.walk(arg)}
        if API_MODULE.search(name):
            fine |= {id(doc) for doc in _api_docs(node) if ENGLISH.search(str(doc.value))}
    scopes = _scope_names(tree)
    return [
        (node.lineno, scopes.get(id(node), ""), node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)
        if id(node) not in fine
    ]


def _api_docs(node: ast.AST) -> list[ast.Constant]:
    """The texts documenting the API: description=/summary= arguments and "description" keys of JSON schemas."""
    if isinstance(node, ast.keyword) and node.arg in API_DOC_KEYWORDS and isinstance(node.value, ast.Constant):
        return [node.value]
    if isinstance(node, ast.Dict):
        return [
            value
            for key, value in zip(node.keys, node.values, strict=True)
            if isinstance(key, ast.Constant) and key.value in API_DOC_KEYWORDS and isinstance(value, ast.Constant)
        ]
    return []


def python_findings(path: Path, text: str | None = None, allowed: tuple[Allowed, ...] = ALLOWED) -> list[str]:
    exempt = {a.scope for a in allowed if a.path == rel(path)}
    return [
        f"{rel(path)}:{line}: {value.strip()[:120]!r}"
        for line, scope, value in python_literals(path, text)
        if scope not in exempt and "*" not in exempt
    ]


def _js_code(text: str) -> str:
    """The script with its comments blanked (strings kept), newlines kept."""
    out, i, quote = [], 0, None
    while i < len(text):
        c = text[i]
        if quote:
            out.append(c)
            if c == "\\" and i + 1 < len(text):
                out.append(text[i + 1])
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'`":
            quote = c
            out.append(c)
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            out.append(" " * (end - i))
            i = end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = len(text) if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def script_findings(path: Path, text: str | None = None) -> list[str]:
    text = path.read_text(encoding="utf-8") if text is None else text
    return [
        f"{rel(path)}:{number}: {line.strip()[:120]}"
        for number, line in enumerate(_js_code(text).splitlines(), start=1)
        if CJK.search(line)
    ]


def templates() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("templates/**/*") if p.is_file() and p.suffix in (".html", ".txt"))


def python_modules() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts and not rel(p).startswith("sanlian/demo/")
    )


def scripts() -> list[Path]:
    return sorted((PACKAGE / "static" / "js").glob("*.js"))


# --- Notifications -------------------------------------------------------------------------------------------
# notification_send and the modules' thin wrappers around it, with the position of their title argument.
SENDERS = {"notification_send": None, "notify": 1, "_notify": 1, "_tell": None}
MESSAGE_ARGUMENTS = ("title", "body")
EAGER_GETTEXT = frozenset({"gettext", "ngettext", "pgettext", "npgettext"})


def _eager_names(tree: ast.Module) -> set[str]:
    """The names this module translates with at once (`gettext as _`): their result is fixed to one language."""
    names = set(EAGER_GETTEXT)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            names |= {alias.asname or alias.name for alias in node.names if alias.name in EAGER_GETTEXT}
    return names


def _is_eager(expr: ast.AST, eager: set[str], tainted: set[str]) -> bool:
    for node in ast.walk(expr):
        if isinstance(node, ast.Call) and _called(node) in eager:
            return True
        if isinstance(node, ast.Name) and node.id in tainted:
            return True
    return False


def _bound(target: ast.AST) -> list[str]:
    """The names an assignment target binds (x, or each of x, y), not those it indexes (x[k] = …)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple | ast.List):
        return [name for element in target.elts for name in _bound(element)]
    return []


def _tainted(function: ast.AST, eager: set[str]) -> set[str]:
    """Names a function binds, directly or through other names, to text translated at once."""
    tainted: set[str] = set()
    while True:
        before = len(tainted)
        for node in ast.walk(function):
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                if _is_eager(node.value, eager, tainted):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    tainted |= {name for target in targets for name in _bound(target)}
            elif isinstance(node, ast.For) and _is_eager(node.iter, eager, tainted):
                tainted |= set(_bound(node.target))
        if len(tainted) == before:
            return tainted


def notification_findings(path: Path, text: str | None = None) -> list[str]:
    """Calls that hand a notification an already translated title or body (fixed to the sender's language)."""
    text = path.read_text(encoding="utf-8") if text is None else text
    if not any(name in text for name in SENDERS):
        return []
    tree = ast.parse(text)
    eager = _eager_names(tree)
    findings = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        tainted = None
        for call in ast.walk(function):
            if not (isinstance(call, ast.Call) and _called(call) in SENDERS):
                continue
            position = SENDERS[_called(call)]
            arguments = [k.value for k in call.keywords if k.arg in MESSAGE_ARGUMENTS]
            if position is not None and len(call.args) > position:
                arguments.append(call.args[position])
            tainted = _tainted(function, eager) if tainted is None else tainted
            if any(_is_eager(argument, eager, tainted) for argument in arguments):
                findings.append(f"{rel(path)}:{call.lineno}: {_called(call)}() in {function.name}")
    return sorted(set(findings))


# --- Translations fixed at import time ---------------------------------------------------------------------


def import_time_findings(path: Path, text: str | None = None) -> list[str]:
    """gettext (not gettext_lazy) called in a module's or a class's body, or a lazy text formatted there with %:
    it runs once, at import, in the default language, so a form label or a constant never follows the reader."""
    text = path.read_text(encoding="utf-8") if text is None else text
    if "gettext" not in text:
        return []
    tree = ast.parse(text)
    eager = _eager_names(tree)
    lazy = _gettext_names(tree) - eager
    findings = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue  # runs when called, in the language active then
            formatted = isinstance(child, ast.BinOp) and isinstance(child.op, ast.Mod)
            if (isinstance(child, ast.Call) and _called(child) in eager) or (
                formatted and isinstance(child.left, ast.Call) and _called(child.left) in lazy
            ):
                findings.append(f"{rel(path)}:{child.lineno}: {ast.unparse(child)[:100]}")
            visit(child)

    visit(tree)
    return findings
