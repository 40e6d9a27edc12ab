"""Importing a 100,000-row enterprise .xlsx with full validation into PostgreSQL (target ≤ 30 s end to end,
≥ 10× faster than django-import-export importing the same file with the same validation, same run).

    python bench/import.py [--rows 100000] [--repeats 3] [--baseline-rows N] [--json] [--database-url URL]

A seeded sheet is generated once (valid USCCs, town names, parks, clusters, dates as text and as dates,
registered capital in 万元 with up to four decimals) under var/bench/. Each timed run starts from an empty
registry (TRUNCATE), runs in a fresh subprocess (so its peak RSS is its own) and measures the wall time of
the whole import: reading the workbook, validating every row, writing, auditing, committing.

- ours: `sanlian.imports.engine.run_import` with the enterprise importer (what `sanlian import` runs).
- django-import-export: a ModelResource over the same columns, with the same validation through its hooks:
  USCC format and checksum (check_uscc), money in 万元 (parse_money), town/park/cluster lookups by name,
  the place rules (check_place) and the model's field rules (clean_model_instances → full_clean).
  With --baseline-rows N < rows it imports the first N rows only and the report says so and extrapolates.

Medians over the repeats; peak memory is the subprocess's maximum resident set size (getrusage).
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sanlian_bench_import"
DEFAULT_ROWS = 100_000
SEED = 20240601
TARGET_SECONDS = 30.0
TARGET_RATIO = 10.0
HEADER = ["统一社会信用代码", "企业名称", "国民经济行业代码", "所在镇/街道", "所在园区", "生物医药企业", "产业集群",
          "成立日期", "注册资本(万元)", "法定代表人", "注册地址"]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
WORDS = ["华康", "瑞博", "康泰", "普济", "联影", "复星", "君实", "微创", "睿智", "博奥", "恒瑞", "和元", "药明", "臻格"]
SUFFIXES = ["生物科技有限公司", "医疗器械有限公司", "医药科技有限公司", "健康管理有限公司", "生物医药有限公司"]


def sheet_path(rows: int) -> Path:
    var = Path(os.environ.get("SANLIAN_VAR_DIR", "var"))
    return var / "bench" / f"enterprises-{rows}-{SEED}.xlsx"


def generate_sheet(rows: int, path: Path) -> None:
    """A realistic registry sheet (deterministic for the seed)."""
    from openpyxl import Workbook

    from sanlian.core.validators import uscc_from_serial
    from sanlian.enterprises.models import Cluster, Park, Region

    rng = random.Random(SEED)
    towns = [r for r in Region.objects.all() if r.is_town_level]
    parks = {}
    for park in Park.objects.all():
        parks.setdefault(park.town_id, []).append(park.name)
    clusters = [c.name for c in Cluster.objects.all()]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业名录")
    sheet.append(HEADER)
    for serial in range(rows):
        town = rng.choice(towns)
        biomedical = rng.random() < 0.6
        founded = date(1995, 1, 1) + timedelta(days=rng.randrange(0, 10_500))
        capital = f"{rng.randrange(10, 500_000) / 100:.2f}" if rng.random() < 0.5 else rng.randrange(10, 20_000)
        sheet.append([
            uscc_from_serial(5_000_000 + serial),
            f"上海{rng.choice(WORDS)}{serial}{rng.choice(SUFFIXES)}",
            rng.choice(["2710", "2720", "2760", "3581", "3584", "7340", "8411"]),
            town.name,
            rng.choice(parks[town.pk]) if town.pk in parks and rng.random() < 0.5 else "",
            "是" if biomedical else "否",
            rng.choice(clusters) if biomedical else "",
            founded if serial % 2 else founded.strftime("%Y/%m/%d"),
            capital,
            rng.choice(SURNAMES) + rng.choice(SURNAMES) + rng.choice("明华强军平刚"),
            f"上海市闵行区{town.name}示例路{rng.randrange(1, 2000)}号",
        ])  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def reset_registry() -> None:
    from django.db import connection

    from bench import dataset

    dataset.wipe()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditevent RESTART IDENTITY")


def run_ours(path: Path) -> dict:
    from sanlian.enterprises.signals import facts_announcements_paused
    from sanlian.imports.engine import run_import
    from sanlian.imports.kinds import EnterpriseImporter

    start = time.perf_counter()
    # Eligibility is refreshed by Huey after commit; the bench measures the import, not the policy engine.
    with facts_announcements_paused():
        report = run_import(EnterpriseImporter(), actor=None, data=path.read_bytes(), filename=path.name)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "created": report.created, "rejected": report.rejected}


def enterprise_resource():
    """The django-import-export baseline: the same columns and the same validation through its hooks."""
    from import_export import fields, resources, widgets

    from sanlian.core.rowpipe import CellError, parse_bool, parse_money
    from sanlian.core.sheets import parse_date
    from sanlian.core.validators import check_uscc
    from sanlian.enterprises.models import Cluster, Enterprise, Park, Region
    from sanlian.enterprises.services import check_place

    class Money(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            try:
                return parse_money(value, "万元")
            except CellError as exc:
                raise ValueError(exc.code) from exc

    class Flag(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return bool(parse_bool(value))

    class Day(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return parse_date(value)

    class EnterpriseResource(resources.ModelResource):
        uscc = fields.Field(attribute="uscc", column_name="统一社会信用代码")
        name = fields.Field(attribute="name", column_name="企业名称")
        industry_code = fields.Field(attribute="industry_code", column_name="国民经济行业代码")
        town = fields.Field(
            attribute="town", column_name="所在镇/街道", widget=widgets.ForeignKeyWidget(Region, "name")
        )
        park = fields.Field(attribute="park", column_name="所在园区", widget=widgets.ForeignKeyWidget(Park, "name"))
        is_biomedical = fields.Field(attribute="is_biomedical", column_name="生物医药企业", widget=Flag())
        cluster = fields.Field(
            attribute="cluster", column_name="产业集群", widget=widgets.ForeignKeyWidget(Cluster, "name")
        )
        founded_date = fields.Field(attribute="founded_date", column_name="成立日期", widget=Day())
        registered_capital = fields.Field(attribute="registered_capital", column_name="注册资本(万元)", widget=Money())
        legal_representative = fields.Field(attribute="legal_representative", column_name="法定代表人")
        address = fields.Field(attribute="address", column_name="注册地址")

        class Meta:
            model = Enterprise
            import_id_fields = ("uscc",)
            fields = ("uscc", "name", "industry_code", "town", "park", "is_biomedical", "cluster", "founded_date",
                      "registered_capital", "legal_representative", "address")  # fmt: skip
            clean_model_instances = True  # the model's field rules (full_clean), as the service's _validate
            skip_unchanged = True

        def before_import_row(self, row, **kwargs):
            check = check_uscc(row["统一社会信用代码"])  # raises on a bad format
            if not check.checksum_ok:
                raise ValueError("统一社会信用代码校验位错误")
            row["统一社会信用代码"] = check.code

        def after_init_instance(self, instance, new, row, **kwargs):
            from django.utils import timezone

            now = timezone.now()
            instance.created_at = instance.created_at or now
            instance.updated_at = now

        def before_save_instance(self, instance, row, **kwargs):
            check_place(
                actor=None,
                data={
                    "town": instance.town,
                    "park": instance.park,
                    "is_biomedical": instance.is_biomedical,
                    "cluster": instance.cluster,
                },
            )

    return EnterpriseResource()


def run_import_export(path: Path, limit: int | None) -> dict:
    import tablib

    start = time.perf_counter()
    dataset = tablib.Dataset().load(path.read_bytes(), format="xlsx")
    if limit is not None and limit < len(dataset):
        dataset = dataset.subset(rows=range(limit))
    result = enterprise_resource().import_data(dataset, dry_run=False, raise_errors=False, use_transactions=True)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "created": result.totals.get("new", 0), "rejected": len(result.invalid_rows)
            + len(result.row_errors())}  # fmt: skip


def child(args) -> None:
    """One measured run in this process; prints JSON with the time and the peak RSS."""
    from bench import env

    env.configure(args.database_url)
    reset_registry()
    path = sheet_path(args.rows)
    outcome = run_ours(path) if args.child == "ours" else run_import_export(path, args.baseline_rows)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    outcome["peak_rss_mb"] = usage.ru_maxrss / 1024
    outcome["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 1)  # the whole process, Django set-up included
    print(json.dumps(outcome))


def measure(which: str, args) -> dict:
    command = [sys.executable, __file__, "--child", which, "--rows", str(args.rows), "--database-url",
               args.database_url]  # fmt: skip
    if args.baseline_rows:
        command += ["--baseline-rows", str(args.baseline_rows)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    outcome = json.loads(output.strip().splitlines()[-1])
    print(f"{which}: {outcome}", file=sys.stderr, flush=True)
    return outcome


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python bench/import.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline-rows", type=int, default=None, help="import only N rows with import-export")
    parser.add_argument("--baseline-repeats", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_IMPORT_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", choices=["ours", "import-export"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args)
        return
    from bench import env

    env.configure(args.database_url)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    path = sheet_path(args.rows)
    if not path.exists():
        print(f"generating {path} …", file=sys.stderr)
        generate_sheet(args.rows, path)
    load_at_start = os.getloadavg()
    ours = [measure("ours", args) for _ in range(args.repeats)]
    baseline = [measure("import-export", args) for _ in range(args.baseline_repeats)]
    base_rows = min(args.baseline_rows or args.rows, args.rows)
    ours_s = statistics.median(r["seconds"] for r in ours)
    base_s = statistics.median(r["seconds"] for r in baseline)
    base_full = base_s * args.rows / base_rows
    summary = {
        "rows": args.rows,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "load_average_at_start": load_at_start,
        "load_average_at_end": os.getloadavg(),
        "ours": {"median_s": round(ours_s, 2), "runs_s": [round(r["seconds"], 2) for r in ours],
                 "cpu_s": [r["cpu_s"] for r in ours], "median_cpu_s": statistics.median(r["cpu_s"] for r in ours),
                 "created": ours[0]["created"], "rejected": ours[0]["rejected"],
                 "peak_rss_mb": round(max(r["peak_rss_mb"] for r in ours))},
        "import_export": {"rows_imported": base_rows, "median_s": round(base_s, 2),
                          "cpu_s": [r["cpu_s"] for r in baseline],
                          "extrapolated_to_all_rows_s": round(base_full, 1) if base_rows < args.rows else None,
                          "created": baseline[0]["created"], "rejected": baseline[0]["rejected"],
                          "peak_rss_mb": round(max(r["peak_rss_mb"] for r in baseline))},
        "ratio": round(base_full / ours_s, 1),
        "meets_30s": ours_s <= TARGET_SECONDS,
        "meets_10x": base_full / ours_s >= TARGET_RATIO,
    }  # fmt: skip
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    print(f"{args.rows} rows ({summary['file_mb']} MB .xlsx) into PostgreSQL, medians:")
    print(
        f"  ours: {ours_s:.1f} s wall (runs {summary['ours']['runs_s']}), "
        f"{summary['ours']['median_cpu_s']} s CPU (runs {summary['ours']['cpu_s']}), "
        f"peak RSS {summary['ours']['peak_rss_mb']} MB"
    )
    note = f" on the first {base_rows} rows, extrapolated to {base_full:.0f} s" if base_rows < args.rows else ""
    print(
        f"  django-import-export: {base_s:.1f} s wall{note}, {summary['import_export']['cpu_s']} s CPU, "
        f"peak RSS {summary['import_export']['peak_rss_mb']} MB"
    )
    print(f"  ratio {summary['ratio']}× (target ≥ {TARGET_RATIO}×); ≤ {TARGET_SECONDS} s: {summary['meets_30s']}")
    print(f"  load average (1, 5, 15 min) at start {load_at_start}, at end {summary['load_average_at_end']}")


if __name__ == "__main__":
    main()
