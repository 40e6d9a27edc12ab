"""`sanlian stats --town 浦江镇 --year 2023 [--json]`: the cockpit figures of a town on the command line."""

import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from sanlian.dashboard import selectors


def exact_json(value) -> str:
    """JSON text in which a Decimal is written as its exact decimal literal (a JSON number, no float rounding).

    The standard encoder cannot emit a raw number literal for a Decimal, so containers are walked here and
    every other scalar goes through `json.dumps`.
    """
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite amount: {value}")
        return format(value, "f")
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)}: {exact_json(v)}" for k, v in value.items())
            + "}"
        )
    if isinstance(value, list | tuple):
        return "[" + ", ".join(exact_json(v) for v in value) + "]"
    if isinstance(value, Promise):
        value = str(value)
    return json.dumps(value, ensure_ascii=False)


def _pct(ratio) -> str:
    return "—" if ratio is None else f"{Decimal(str(ratio)) * 100:.2f}%"


def _ratio(part: int, total: int) -> float | None:
    return round(part / total, 4) if total else None


def _yuan(amount) -> str:
    return f"{amount:,.2f}"


class Command(BaseCommand):
    help = (
        "Print the cockpit figures of a town for a year (default: the latest year with approved reports). "
        "With --json: one JSON object (keys include biomedical_enterprises, biomedical_revenue_yuan, "
        "district_biomedical_enterprises, district_share, clusters, key_enterprises, key_enterprises_biomedical, "
        "talents and talents_biomedical: approved applications of the year's 春申 round whose employer is in the "
        "town, all / with a biomedical employer; talents_by_level, talents_by_industry, talents_by_year). "
        "Money is in yuan, written as a JSON number with its exact decimal literal and two decimals "
        "(e.g. 5400000000.00); parse it with Decimal (Python: json.loads(text, parse_float=Decimal)) to keep "
        "it exact. Shares and growth rates are ratios rounded to 4 decimals (0.4812 = 48.12%)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--town", required=True, help="town or street: code (pujiang) or name (浦江镇)")
        parser.add_argument("--year", type=int, help="year of the figures (2019 or later)")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="print one JSON object instead of a table"
        )

    def handle(self, *args, town, year, as_json, **options):
        region = selectors.town_lookup(town)
        if region is None:
            raise CommandError(_("未知的镇/街道:%(town)s(请使用代码如 pujiang 或名称如 浦江镇)") % {"town": town})
        years = selectors.available_years()
        if year is None:
            year = years[-1]
        elif year not in years:
            raise CommandError(
                _("年度应在 %(first)s–%(last)s 之间:%(year)s") % {"first": years[0], "last": years[-1], "year": year}
            )
        figures = selectors.stats(region, year)
        if as_json:
            self.stdout.write(exact_json(figures))
            return
        self.stdout.write(self._table(figures))

    def _table(self, f: dict) -> str:
        key_row = next((row for row in f["key_enterprises_by_year"] if row["year"] == f["year"]), {})
        revenue_row = next((row for row in f["revenue_by_year"] if row["year"] == f["year"]), {})
        rows = [
            (_("镇/街道"), f["town"]),
            (_("年度"), str(f["year"])),
            (_("生物医药企业数"), str(f["biomedical_enterprises"])),
            (_("营业收入(元)"), _yuan(f["biomedical_revenue_yuan"])),
            (_("营业收入同比增长"), _pct(revenue_row.get("growth"))),
            (_("已审核年报数"), str(f["revenue_reports"])),
            (
                _("%(district)s生物医药企业数") % {"district": f["district"] or _("全区")},
                str(f["district_biomedical_enterprises"]),
            ),
            (_("占全区比重"), _pct(f["district_share"])),
            (_("基因相关企业"), f"{f['gene_related']}({_pct(f['gene_related_share'])})"),
            (_("春申重点企业"), str(f["key_enterprises"])),
            (
                _("其中生物医药"),
                f"{f['key_enterprises_biomedical']}({_pct(key_row.get('biomedical_share'))})",
            ),
            (_("春申人才(人)"), str(f["talents"])),
            (
                _("其中生物医药产业人才"),
                f"{f['talents_biomedical']}({_pct(_ratio(f['talents_biomedical'], f['talents']))})",
            ),
        ]
        rows += [(_("集群 · %(name)s") % {"name": name}, str(n)) for name, n in f["clusters"].items()]
        width = max(_width(label) for label, _value in rows)
        return "\n".join(f"{label}{' ' * (width - _width(label))}  {value}" for label, value in rows)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))
