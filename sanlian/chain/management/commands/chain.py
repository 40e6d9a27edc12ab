"""`sanlian chain <subcommand>`: the industry chain on the command line.

    sanlian chain evaluate --profiles P.jsonl --queries Q.jsonl [--json] [--edges file|db]

evaluate
    Builds a match index from the profile lines ({"id", "name", "description", "nodes": [...], "town", "park",
    "certifications": [...]}), runs the query lines ({"id", "text", "node", "town", "relevant": {"<profile id>":
    grade 1–3}}) and prints nDCG@10 and recall@20 of text-only BM25 and of the full matcher, and the relative
    gain. Chain edges come from the starting taxonomy sanlian/chain/data/edges.yaml (reproducible), or with
    `--edges db` from the database (the officers' current edges). See sanlian.engines.matching.evaluation.

Adding a subcommand: add its name and help to SUBCOMMANDS, an `add_<name>_arguments(self, parser)` method
and a `handle_<name>(self, **options)` method (a "-" in the name becomes "_").
"""

from __future__ import annotations

import json
import time
import unicodedata
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sanlian.chain.edges import DATA_FILE as EDGES_FILE
from sanlian.engines.matching import MatchIndex
from sanlian.engines.matching.evaluation import EvaluationInputError, evaluate, read_profiles, read_queries

SUBCOMMANDS = {
    "evaluate": "nDCG@10 and recall@20 of text-only BM25 and of the full matcher on a labelled set",
}


def input_error_message(exc: EvaluationInputError) -> str:
    where = {"path": exc.path, "line": exc.line, "field": exc.field, **exc.params}
    messages = {
        "bad_json": _("%(path)s 第 %(line)s 行不是有效的 JSON"),
        "not_object": _("%(path)s 第 %(line)s 行应为 JSON 对象"),
        "missing": _("%(path)s 第 %(line)s 行缺少字段 %(field)s"),
        "not_text": _("%(path)s 第 %(line)s 行的字段 %(field)s 应为文本"),
        "not_list": _("%(path)s 第 %(line)s 行的字段 %(field)s 应为代码列表"),
        "bad_date": _("%(path)s 第 %(line)s 行的字段 %(field)s 应为日期(YYYY-MM-DD)"),
        "no_relevant": _("%(path)s 第 %(line)s 行没有相关画像(relevant 应为非空对象)"),
        "bad_grade": _("%(path)s 第 %(line)s 行画像 %(id)s 的相关等级应为 1–3 的整数"),
        "duplicate_id": _("%(path)s 第 %(line)s 行的 id %(id)s 重复"),
        "unknown_profile": _("%(path)s 第 %(line)s 行引用了不存在的画像 %(id)s"),
    }
    template = messages.get(exc.code)
    return template % where if template else str(exc)


def _pad(text: str, width: int) -> str:
    """Left-aligned in `width` terminal columns (CJK characters take two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)


def _pct(gain) -> str:
    return "—" if gain is None else f"{gain * 100:+.1f}%"


class Command(BaseCommand):
    help = "The industry chain on the command line. " + " · ".join(f"{k}: {v}" for k, v in SUBCOMMANDS.items())

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{" + ",".join(SUBCOMMANDS) + "}")
        for name, help_text in SUBCOMMANDS.items():
            sub = actions.add_parser(name, help=help_text, description=help_text)
            getattr(self, f"add_{name.replace('-', '_')}_arguments")(sub)

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action.replace('-', '_')}")(**options)

    # --- evaluate -------------------------------------------------------------------------------------------

    def add_evaluate_arguments(self, parser):
        parser.add_argument("--profiles", type=Path, required=True, help="profile lines (JSON Lines)")
        parser.add_argument("--queries", type=Path, required=True, help="labelled query lines (JSON Lines)")
        parser.add_argument("--json", dest="as_json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--edges", choices=("file", "db"), default="file", help="chain edges: edges.yaml (default) or the database"
        )

    def _edges(self, source: str) -> list[tuple[str, str]]:
        if source == "db":
            from django.db import DatabaseError

            from sanlian.chain.models import ChainEdge

            try:
                return list(ChainEdge.objects.values_list("supplier__code", "customer__code").order_by("pk"))
            except DatabaseError as exc:
                raise CommandError(
                    _("无法从数据库读取产业链关系(数据库是否已迁移?):%(error)s") % {"error": exc}
                ) from exc
        rows = yaml.safe_load(EDGES_FILE.read_text(encoding="utf-8"))["edges"]
        return [(str(row[0]), str(row[1])) for row in rows]

    def handle_evaluate(self, *, profiles: Path, queries: Path, as_json: bool, edges: str, **_options):
        for path in (profiles, queries):
            if not path.is_file():
                raise CommandError(_("找不到文件:%(path)s") % {"path": path})
        try:
            with open(profiles, encoding="utf-8") as handle:
                profile_list = read_profiles(handle, str(profiles))
            if not profile_list:
                raise CommandError(_("画像文件中没有画像:%(path)s") % {"path": profiles})
            with open(queries, encoding="utf-8") as handle:
                query_list = read_queries(handle, str(queries), {p.id for p in profile_list})
        except EvaluationInputError as exc:
            raise CommandError(input_error_message(exc)) from exc
        except UnicodeDecodeError:
            raise CommandError(_("文件应为 UTF-8 编码的 JSON Lines")) from None
        if not query_list:
            raise CommandError(_("查询文件中没有查询:%(path)s") % {"path": queries})
        started = time.perf_counter()
        index = MatchIndex.build(profile_list, self._edges(edges))
        built = time.perf_counter()
        result = evaluate(index, query_list)
        done = time.perf_counter()
        result["edges"] = edges
        result["build_s"] = round(built - started, 3)
        result["evaluate_s"] = round(done - built, 3)
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        text, full, gain = result["text_only"], result["full"], result["gain"]
        lines = [
            _("匹配评估:%(profiles)s 个画像,%(queries)s 条查询") % result,
            f"{_pad('', 14)}{'nDCG@10':>10}{'recall@20':>12}",
            f"{_pad(_('纯文本 BM25'), 14)}{text['ndcg@10']:>10.4f}{text['recall@20']:>12.4f}",
            f"{_pad(_('完整匹配'), 14)}{full['ndcg@10']:>10.4f}{full['recall@20']:>12.4f}",
            f"{_pad(_('提升'), 14)}{_pct(gain['ndcg@10']):>10}{_pct(gain['recall@20']):>12}",
        ]
        self.stdout.write("\n".join(lines))
