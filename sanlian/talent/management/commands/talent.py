"""`sanlian talent stats --year 2023 [--town pujiang] [--json]`: certified talents of a round.

The talents of a year are the approved applications of that year's round (in the town's enterprises
with --town, else in the whole programme); they are counted by level, type, industry, employer and,
without --town, by town. See sanlian.talent.stats for the definitions.
"""

import json
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sanlian.dashboard.selectors import town_lookup
from sanlian.talent import stats
from sanlian.talent.models import Round


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def _pct(ratio) -> str:
    return "—" if ratio is None else f"{ratio * 100:.1f}%"


def _section(title: str, rows: list[tuple[str, int]]) -> list[str]:
    if not rows:
        return []
    width = max(_width(label) for label, _n in rows)
    return ["", title, *(f"  {label}{' ' * (width - _width(label))}  {n:>5}" for label, n in rows)]


class Command(BaseCommand):
    help = (
        "The 春申 talent programme on the command line. `stats --year YYYY [--town CODE|名称] [--json]`: the "
        "certified talents (approved applications of the year's round; with --town, those whose employer is in "
        "the town) by level, type, industry and employer. JSON keys: year, round (name), town (name or null), "
        "talents, talents_biomedical (employer is a biomedical enterprise), biomedical_share (ratio, 4 decimals), "
        "by_level [{code, name, talents}], by_type [{code, name, talents}] (empty when the round has no types), "
        "by_industry [{code, name, biomedical, talents}] (biomedical clusters, then 其他产业 with code other), "
        "by_town [{code, name, talents, biomedical}] (without --town only), by_employer [{enterprise_id, uscc, "
        "name, town, is_biomedical, talents}] (most talents first)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{stats}")
        figures = actions.add_parser("stats", help="certified talents of a round by level, type, industry, employer")
        figures.add_argument("--year", type=int, required=True, help="year of the round (e.g. 2023)")
        figures.add_argument("--town", default="", help="town or street: code (pujiang) or name (浦江镇)")
        figures.add_argument("--json", dest="as_json", action="store_true", help="print one JSON object")
        figures.add_argument(
            "--employers", type=int, default=20, help="employers listed in the table (default 20; JSON lists all)"
        )

    def handle(self, *args, action, **options):
        self.stats(
            year=options["year"], town=options.get("town") or "", as_json=options["as_json"], top=options["employers"]
        )

    def stats(self, *, year: int, town: str, as_json: bool, top: int) -> None:
        region = None
        if town:
            region = town_lookup(town)
            if region is None:
                raise CommandError(_("未知的镇/街道:%(town)s(请使用代码如 pujiang 或名称如 浦江镇)") % {"town": town})
        figures = stats.talent_stats(year, region)
        if figures is None:
            years = "、".join(str(y) for y in Round.objects.order_by("year").values_list("year", flat=True))
            raise CommandError(
                _("没有 %(year)s 年度的人才计划(已有年度:%(years)s)") % {"year": year, "years": years or "—"}
            )
        if as_json:
            self.stdout.write(json.dumps(figures, ensure_ascii=False))
            return
        self.stdout.write(self._table(figures, top))

    def _table(self, f: dict, top: int) -> str:
        lines = [
            f"{f['round']} · {f['town'] or _('全部镇/街道')}",
            _("认定人才 %(n)s 人,其中生物医药产业人才 %(bio)s 人(%(share)s)")
            % {"n": f["talents"], "bio": f["talents_biomedical"], "share": _pct(f["biomedical_share"])},
        ]
        lines += _section(_("按层次"), [(row["name"], row["talents"]) for row in f["by_level"]])
        lines += _section(_("按类型"), [(row["name"], row["talents"]) for row in f["by_type"]])
        lines += _section(_("按产业"), [(row["name"], row["talents"]) for row in f["by_industry"]])
        lines += _section(_("按镇/街道"), [(row["name"], row["talents"]) for row in f["by_town"]])
        employers = f["by_employer"]
        title = _("按用人单位(前 %(n)s 家,共 %(total)s 家)") % {"n": min(top, len(employers)), "total": len(employers)}
        lines += _section(title, [(row["name"], row["talents"]) for row in employers[:top]])
        return "\n".join(lines)
