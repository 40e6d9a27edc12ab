"""Re-evaluating one changed enterprise against every published policy, store included (target ≤ 5 ms).

The registry data set of bench/dataset.py is loaded into the bench database, the 50 generated policies
of bench/policy.py are published with their parameters, one full refresh stores every result, and then
each timed run changes one enterprise's facts (untimed) and calls the same service the platform calls
after an approved report: `eligibility_refresh(enterprise_ids=[id])` — facts read from the database,
all policies evaluated with explanations, the changed results superseded and stored, in one transaction.

    python bench/policy_refresh.py [--size 10000] [--repeats 60] [--json] [--database-url URL]
"""

import argparse
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import env  # noqa: E402
from bench import policy as generated  # noqa: E402

DEFAULT_SIZE = 10_000
DEFAULT_REPEATS = 60


def publish_generated_policies(seed: int) -> int:
    """The generated rules as published policies with their parameters (replacing earlier bench policies)."""
    from django.utils import timezone

    from sanlian.enterprises.models import Region
    from sanlian.policies.models import EligibilityResult, Grant, Parameter, ParameterValue, Policy, PolicyVersion

    Grant.objects.all().delete()
    EligibilityResult.objects.all().delete()
    PolicyVersion.objects.all().delete()
    Policy.objects.all().delete()
    ParameterValue.objects.all().delete()
    Parameter.objects.all().delete()
    now = timezone.now()
    for name, (kind, unit, label, key) in generated.PARAMS.items():
        parameter = Parameter.objects.create(
            name=name, label=label, type=kind, unit=unit, key_fact=key or "", source_clause="bench", created_at=now
        )
        raw = generated.RAW_PARAMS.get(name)
        if raw is None:
            continue
        keyed = raw.items() if key and isinstance(raw, dict) and "param" not in raw else [("", raw)]
        for value_key, value in keyed:
            ParameterValue.objects.create(
                parameter=parameter, key=value_key, value=value, effective_date=date(2000, 1, 1), recorded_at=now
            )
    district = Region.objects.get(code="minhang")
    rules = generated.generate_policies(seed)
    for name, tree in rules:
        policy = Policy.objects.create(code=f"bench-{name}", region=district, created_at=now)
        PolicyVersion.objects.create(
            policy=policy, number=1, status="published", title=name, issuer="bench", rule=tree,
            effective_from_date=date(2000, 1, 1), created_at=now, published_at=now,
        )  # fmt: skip
    return len(rules)


def _toggle(enterprise_id: int) -> None:
    """Flip facts many generated rules read, without going through the services (untimed)."""
    from django.db.models import Q

    from sanlian.enterprises.models import Enterprise

    Enterprise.objects.filter(pk=enterprise_id).update(is_biomedical=~Q(is_biomedical=True))


def _settle() -> None:
    """Vacuum and analyze after the bulk load (untimed), as autovacuum would in a running database:
    otherwise autovacuum starts on the 100,000 fresh rows in the middle of the timed runs."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measure(size: int, repeats: int, seed: int) -> dict:
    from django.core.management import call_command

    from bench.dataset import ensure_dataset
    from sanlian.enterprises.models import Enterprise
    from sanlian.policies.models import EligibilityResult
    from sanlian.policies.services import eligibility_refresh

    call_command("migrate", verbosity=0)
    ensure_dataset(size=size, seed=seed)
    count = publish_generated_policies(seed)
    start = time.perf_counter()
    full = eligibility_refresh(notify=False)
    full_seconds = time.perf_counter() - start
    _settle()
    ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True)[:: max(1, size // repeats)])[:repeats]
    changed, unchanged, rows_written = [], [], []
    for enterprise_id in ids:
        _toggle(enterprise_id)
        t = time.perf_counter()
        summary = eligibility_refresh(enterprise_ids=[enterprise_id])
        changed.append((time.perf_counter() - t) * 1000)
        rows_written.append(summary.changed)
        t = time.perf_counter()
        eligibility_refresh(enterprise_ids=[enterprise_id])
        unchanged.append((time.perf_counter() - t) * 1000)
    return {
        "enterprises": size,
        "policies": count,
        "criteria": generated.criteria_count(generated.generate_policies(seed)),
        "full_refresh_s": round(full_seconds, 2),
        "full_refresh_rows": full.changed,
        "refresh_one_changed_ms": round(statistics.median(changed), 2),
        "refresh_one_unchanged_ms": round(statistics.median(unchanged), 2),
        "refresh_one_p95_ms": round(sorted(changed)[int(len(changed) * 0.95) - 1], 2),
        "rows_stored_per_change": statistics.median(rows_written),
        "results_stored": EligibilityResult.objects.count(),
        "repeats": len(ids),
        "target_ms": 5,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE)
    parser.add_argument("--repeats", type=int, default=DEFAULT_REPEATS)
    parser.add_argument("--seed", type=int, default=env.DEFAULT_SEED)
    parser.add_argument("--database-url")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    url = env.configure(args.database_url)
    result = measure(args.size, args.repeats, args.seed)
    result["database"] = "postgresql" if env.is_postgres(url) else "sqlite"
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>28}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
