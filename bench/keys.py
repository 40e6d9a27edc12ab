"""Benchmark of the key rotation: `python -m bench.keys [--rows N] [--database-url URL]`.

Writes N users with a mobile under key A into a throwaway test database, then re-encrypts them under key B
(keys [B, A]) two ways, each timed once on the same rows and in the same run:

    rotate_keys   `sanlian.core.keys.keys_rotate`: raw column values, one Fernet decrypt and encrypt per
                  value, rows in batches of 500 per transaction, only the encrypted columns written
    save()        the peer: every user loaded through the ORM and saved whole (what a data migration that
                  "just saves everything" does)

Key derivation (PBKDF2, 100,000 iterations per secret × salt pair and per field) is counted in both.
Prints a Markdown table.
"""

import argparse
import os
import sys
import time


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.keys", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/sanlian_bench_keys")
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanlian.config.settings")
    import django

    django.setup()
    from django.db import transaction
    from django.test.utils import override_settings, setup_databases, teardown_databases

    from sanlian.core.keys import keys_rotate
    from sanlian.core.models import User

    old = setup_databases(verbosity=0, interactive=False)
    try:
        with override_settings(SALT_KEY=["bench-salt-a"]):
            User.objects.bulk_create(
                [User(username=f"bench{i}", phone=f"138{i:08d}") for i in range(args.rows)], batch_size=2000
            )
        timings = {}
        with override_settings(SALT_KEY=["bench-salt-b", "bench-salt-a"]):
            start = time.perf_counter()
            counts = keys_rotate()
            timings["rotate_keys"] = time.perf_counter() - start
            assert counts["core.User"].rotated == args.rows, counts["core.User"]
        with override_settings(SALT_KEY=["bench-salt-c", "bench-salt-b"]):
            start = time.perf_counter()
            with transaction.atomic():
                for user in User.objects.order_by("pk").iterator(chunk_size=2000):
                    user.save()
            timings["save()"] = time.perf_counter() - start
        with override_settings(SALT_KEY=["bench-salt-c"]):
            assert User.objects.order_by("pk").first().phone == "13800000000"
    finally:
        teardown_databases(old, verbosity=0)
    print(f"| method | {args.rows:,} values | values/s |\n|---|---|---|")
    for name, seconds in timings.items():
        print(f"| {name} | {seconds:.2f} s | {args.rows / seconds:,.0f} |")
    print(f"rotate_keys is {timings['save()'] / timings['rotate_keys']:.1f}× the peer", file=sys.stderr)


if __name__ == "__main__":
    main()
