"""`sanlian policies evaluate [--as-of YYYY-MM-DD] [--json]` and `sanlian policies test`.

evaluate: every published policy in force on the date, over every enterprise, with the parameters in
force on that date; nothing is stored. test: every draft and published version's test cases.
"""

import argparse
import json
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from sanlian.engines.rules import RuleError
from sanlian.policies import rules, selectors, services
from sanlian.policies.models import PolicyVersion

OUTCOMES = ("eligible", "not_eligible", "unknown")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("日期格式应为 YYYY-MM-DD:%(text)s") % {"text": text}) from None


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[tuple[str, ...]], numeric_from: int) -> str:
    """Columns aligned for CJK text; columns from `numeric_from` on are right-aligned."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]

    def cell(text, i):
        pad = " " * (widths[i] - _width(text))
        return pad + text if i >= numeric_from else text + pad

    return "\n".join("  ".join(cell(text, i) for i, text in enumerate(row)).rstrip() for row in rows)


def _messages(error: ValidationError) -> str:
    return "; ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Policy rules on the command line. `evaluate [--as-of YYYY-MM-DD] [--json]`: outcome counts of every "
        'published policy in force on the date over every enterprise (JSON: {"as_of", "policies": [{"code", '
        '"title", "version", "eligible", "not_eligible", "unknown"}]}); nothing is stored. `test`: run the test '
        "cases of every draft and published version; fails when any case fails."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{evaluate,test}")
        evaluate = actions.add_parser("evaluate", help="outcome counts per policy in force on a date")
        evaluate.add_argument(
            "--as-of", dest="as_of", type=_day, help="date of the facts and parameters (default: today)"
        )
        evaluate.add_argument("--json", dest="as_json", action="store_true", help="print one JSON object")
        actions.add_parser("test", help="run every draft and published version's test cases")

    def handle(self, *args, action, **options):
        if action == "evaluate":
            self.evaluate(as_of=options.get("as_of") or timezone.localdate(), as_json=options.get("as_json", False))
        else:
            self.test()

    def evaluate(self, *, as_of: date, as_json: bool) -> None:
        versions = selectors.versions_in_force(as_of=as_of)
        rows = []
        if versions:
            try:
                table, evaluation, _benefits = services.evaluate_versions(versions=versions, as_of=as_of, explain=False)
            except ValidationError as exc:  # e.g. parameters that refer to each other in a cycle
                raise CommandError(_messages(exc)) from exc
            for i, version in enumerate(versions):
                counts = evaluation.counts(i)
                rows.append(
                    {
                        "code": version.policy.code,
                        "title": version.title,
                        "version": version.number,
                        **{outcome: int(counts[outcome]) for outcome in OUTCOMES},
                    }
                )
        if as_json:
            self.stdout.write(json.dumps({"as_of": as_of.isoformat(), "policies": rows}, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write(_("%(date)s 没有生效中的已发布政策。") % {"date": as_of.isoformat()})
            return
        lines = [(_("编号"), _("政策名称"), _("版本"), _("符合"), _("不符合"), _("待补充信息"))]
        lines += [(r["code"], r["title"], f"v{r['version']}", *(str(r[outcome]) for outcome in OUTCOMES)) for r in rows]
        self.stdout.write(_table(lines, numeric_from=3))
        self.stdout.write(
            _("数据日期 %(date)s:%(policies)s 项政策,%(enterprises)s 家企业(未保存结果)。")
            % {"date": as_of.isoformat(), "policies": len(rows), "enterprises": table.n}
        )

    def test(self) -> None:
        statuses = [PolicyVersion.Status.DRAFT, PolicyVersion.Status.PUBLISHED]
        versions = PolicyVersion.objects.filter(status__in=statuses).select_related("policy")
        passed = failed = 0
        for version in versions.order_by("policy__code", "number"):
            self.stdout.write(
                f"{version.policy.code} v{version.number} [{version.get_status_display()}] {version.title}"
            )
            try:
                cases = services.tests_report(version)
            except ValidationError as exc:
                failed += 1
                self.stdout.write(self.style.ERROR("  ✗ " + _("规则或参数有误:%(msg)s") % {"msg": _messages(exc)}))
                continue
            except RuleError as exc:  # a case naming an unknown fact or a bad expected outcome
                failed += 1
                self.stdout.write(self.style.ERROR("  ✗ " + rules.rule_error_message(exc)))
                continue
            if not cases:
                self.stdout.write(self.style.WARNING("  " + _("(没有测试用例)")))
            for case in cases:
                line = _("%(name)s:预期 %(expected)s,实际 %(actual)s") % case
                if case["passed"]:
                    passed += 1
                    self.stdout.write(self.style.SUCCESS("  ✓ ") + line)
                else:
                    failed += 1
                    self.stdout.write(self.style.ERROR("  ✗ " + line))
        summary = _("测试用例:%(passed)s 个通过,%(failed)s 个未通过") % {"passed": passed, "failed": failed}
        if failed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
