"""Benchmarks of Sanlian (DESIGN.md, "Performance and scale").

`python -m bench.registry` (or `make bench`) loads a deterministic synthetic registry of 闵行区 into a
dedicated PostgreSQL database and measures server-side response times and query counts of the
directory, a profile, the cockpit and the API list, with ratios against peers measured in the same run.
`python -m bench.load` runs locust (bench/load_locustfile.py) against gunicorn and PostgreSQL on the demo:
officers, enterprises applying and the public, 200 users by default.
"""
