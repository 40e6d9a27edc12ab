"""Policy-matching benchmark: the rules engine (`sanlian.engines.rules`) against OpenFisca.

    .venv/bin/python bench/policy.py --json                 # 10k, 100k and 1M enterprises
    .venv/bin/python bench/policy.py --sizes 10000 --repeats 5

A deterministic synthetic fact table of enterprises (the facts the biomedical-cluster policy engine reads) is matched
against 50 generated policies. The Sanlian side times `evaluate(rules, table, params, explain=True)`; the OpenFisca
side (`bench/policy_openfisca.py`, needs the `bench` extra: `pip install -e '.[bench]'`) writes the same rules as
OpenFisca variables — one three-valued variable per criterion, so its explanations stay in the cache like the
engine's — and times computing every policy variable. Both engines run in a fresh subprocess per size, so that peak
RSS (getrusage) belongs to one engine and one size; the outcome matrices come back through .npy files and must be
equal, else the exit status is 1. Table and simulation construction are reported apart from the timed evaluation.

OpenFisca stores `float` variables as float32, so every number fact and threshold here is float32-exact (the
generator rounds through float32): both engines then compare the same values.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make `bench` and `sanlian` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
DEFAULT_REPEATS = 3
DEFAULT_SEED = 20240601
POLICY_COUNT = 50

# --- The vocabulary -------------------------------------------------------------------------------------------------

TOWNS = (
    "pujiang", "xinzhuang", "qibao", "zhuanqiao", "huacao", "hongqiao", "meilong",
    "wujing", "maqiao", "pujin", "jiangchuan", "gumei", "xinhong", "xinzhuang-industrial",
)  # fmt: skip
PARKS = ("lingang-pujiang", "caohejing-pujiang", "zizhu-science-park")
CLUSTERS = ("pharma-bio", "devices", "health-services")
CHAIN_NODES = (
    "U1", "U2", "U3", "U4", "U5", "M1", "M2", "M3", "M4", "M5", "M6", "D1", "D2", "D3", "D4",
    "S1", "S2", "S3", "S4", "S5", "S6",
)  # fmt: skip
CERTIFICATIONS = (
    "hnte", "srdi", "little-giant", "gmp", "iso13485", "chunshen-key", "quality-biomed", "foreign", "listed",
)  # fmt: skip
TEXT_VOCABULARY = {"town": TOWNS, "park": PARKS, "cluster": CLUSTERS}
SET_VOCABULARY = {"chain_nodes": CHAIN_NODES, "certifications": CERTIFICATIONS}

# name: (type, unit, label)
FACTS = {
    "town": ("text", "", "所在镇（街道）"),
    "park": ("text", "", "所在园区"),
    "cluster": ("text", "", "所属产业集群"),
    "years_since_founding": ("number", "年", "成立年限"),
    "revenue_last_year": ("number", "元", "上年度营业收入"),
    "rd_ratio": ("number", "%", "研发投入占营业收入比例"),
    "employees": ("number", "人", "职工人数"),
    "rd_staff_ratio": ("number", "%", "研发人员占比"),
    "invention_patents_3y": ("number", "件", "近三年发明专利授权数"),
    "chain_nodes": ("set", "", "产业链环节"),
    "certifications": ("set", "", "资质认定"),
    "is_biomedical": ("bool", "", "是否生物医药企业"),
}
# Number facts that are whole numbers (OpenFisca keeps them as int32 variables, the rest as float32).
INTEGER_FACTS = frozenset({"employees", "invention_patents_3y"})

# name: (type, unit, label, key_fact)
PARAMS = {
    "rd_ratio_floor": ("number", "%", "研发投入比例下限", None),
    "rd_ratio_min": ("number", "%", "研发投入比例门槛（分集群）", "cluster"),
    "revenue_floor": ("number", "元", "营业收入下限", None),
    "revenue_min": ("number", "元", "营业收入门槛（分集群）", "cluster"),
    "patents_min": ("number", "件", "发明专利门槛（分集群）", "cluster"),
    "years_min": ("number", "年", "成立年限门槛", None),
    "rd_staff_ratio_min": ("number", "%", "研发人员占比门槛", None),
    "employees_max_sme": ("number", "人", "中小企业职工人数上限", None),
    "hnte_rd_ratio": ("number", "%", "高企研发投入比例", None),
    "focus_town": ("text", "", "重点镇", None),
    "pilot_revenue_cap": ("number", "元", "试点政策营业收入上限（未设定）", None),
}
# Declared in the catalogue but not set: the pilot policies read it and are UNKNOWN on that criterion.
RAW_PARAMS: dict[str, object] = {
    "rd_ratio_floor": 3,
    "rd_ratio_min": {"pharma-bio": 5, "devices": 4, "health-services": {"param": "rd_ratio_floor"}},
    "revenue_floor": 5_000_000,
    "revenue_min": {"pharma-bio": 20_000_000, "devices": {"param": "revenue_floor"}, "*": 10_000_000},
    "patents_min": {"pharma-bio": 3, "devices": 2},  # no health-services value and no default: UNKNOWN there
    "years_min": 2,
    "rd_staff_ratio_min": 10,
    "employees_max_sme": 500,
    "hnte_rd_ratio": {"param": "rd_ratio_floor"},
    "focus_town": "pujiang",
}
# What resolve_params must return for RAW_PARAMS (checked by the test and before every run).
EXPECTED_PARAMS: dict[str, object] = {
    "rd_ratio_floor": 3,
    "rd_ratio_min": {"pharma-bio": 5, "devices": 4, "health-services": 3},
    "revenue_floor": 5_000_000,
    "revenue_min": {"pharma-bio": 20_000_000, "devices": 5_000_000, "*": 10_000_000},
    "patents_min": {"pharma-bio": 3, "devices": 2},
    "years_min": 2,
    "rd_staff_ratio_min": 10,
    "employees_max_sme": 500,
    "hnte_rd_ratio": 3,
    "focus_town": "pujiang",
}


def catalogue():
    from sanlian.engines.rules import Catalogue, FactSpec, ParamSpec

    return Catalogue(
        facts={
            name: FactSpec(name, kind, unit=unit, label=label, source="bench")
            for name, (kind, unit, label) in FACTS.items()
        },
        params={
            name: ParamSpec(name, kind, unit=unit, label=label, source="bench", key_fact=key)
            for name, (kind, unit, label, key) in PARAMS.items()
        },
    )


# --- The fact table -------------------------------------------------------------------------------------------------


def _f32(values: np.ndarray) -> np.ndarray:
    """Round to the nearest float32 (what OpenFisca stores), kept as float64 for the engine."""
    return values.astype(np.float32).astype(np.float64)


def _with_nan(rng: np.random.Generator, values: np.ndarray, share: float = 0.05) -> np.ndarray:
    values = values.astype(np.float64)
    values[rng.random(len(values)) < share] = np.nan
    return values


def _text(rng: np.random.Generator, vocabulary: tuple[str, ...], codes: np.ndarray, missing: np.ndarray):
    """An object array of the vocabulary's words; missing rows are None, or "" for a tenth of them."""
    column = np.asarray(vocabulary, dtype=object)[codes]
    column[missing] = None
    empty = missing & (rng.random(len(codes)) < 0.1)
    column[empty] = ""
    return column


def generate_facts(n: int, seed: int = DEFAULT_SEED) -> dict[str, object]:
    """Columns in the shape FactTable.from_columns takes (NaN, None/"", -1 and set "known" mark missing values)."""
    rng = np.random.default_rng([seed, n, 1])
    bio = rng.random(n) < 0.6

    town_weights = np.array([0.30] + [0.70 / 13] * 13)
    town = rng.choice(len(TOWNS), size=n, p=town_weights)
    town_missing = rng.random(n) < 0.01

    park = np.full(n, -1)
    in_pujiang = town == 0
    draw = rng.random(n)
    park[in_pujiang & (draw < 0.40)] = 0
    park[in_pujiang & (draw >= 0.40) & (draw < 0.60)] = 1
    park[(town == TOWNS.index("wujing")) & (draw < 0.5)] = 2
    park_missing = park < 0

    cluster = rng.choice(len(CLUSTERS), size=n, p=[0.45, 0.35, 0.20])
    cluster_missing = ~bio | (rng.random(n) < 0.02)

    bio_column = bio.astype(np.int8)
    bio_column[rng.random(n) < 0.02] = -1

    years = np.round(rng.gamma(2.0, 4.0, n), 1)
    revenue = np.round(rng.lognormal(np.log(30_000_000), 1.6, n))
    rd_ratio = np.round(np.where(bio, rng.gamma(2.0, 3.5, n), rng.gamma(1.5, 2.0, n)), 2)
    employees = np.maximum(1, np.round(rng.lognormal(np.log(40), 1.1, n)))
    rd_staff_ratio = np.round(np.clip(np.where(bio, rng.normal(22, 12, n), rng.normal(10, 8, n)), 0, 100), 1)
    patents = rng.poisson(np.where(bio, 2.2, 0.6))

    # Chain nodes: biomedical enterprises sit on their cluster's nodes, others on the support and downstream ones.
    node_share = np.full((len(CLUSTERS) + 1, len(CHAIN_NODES)), 0.02)
    favoured = {
        0: ("U1", "U2", "U5", "M1", "M2", "M3", "M4", "M6", "S3"),
        1: ("U3", "U4", "M5", "S5", "D1", "S3"),
        2: ("D1", "D2", "D3", "D4", "S5", "S6"),
        3: ("S1", "S2", "S4", "S6", "D1"),
    }
    for row, nodes in favoured.items():
        for node in nodes:
            node_share[row, CHAIN_NODES.index(node)] = 0.25
    group = np.where(bio, cluster, len(CLUSTERS))
    chain_known = rng.random(n) >= 0.03
    chain_members = {node: (rng.random(n) < node_share[group, j]) & chain_known for j, node in enumerate(CHAIN_NODES)}

    cert_share = {
        "hnte": (0.35, 0.15), "srdi": (0.12, 0.06), "little-giant": (0.04, 0.01), "gmp": (0.20, 0.0),
        "iso13485": (0.18, 0.01), "chunshen-key": (0.05, 0.02), "quality-biomed": (0.12, 0.0),
        "foreign": (0.06, 0.05), "listed": (0.01, 0.004),
    }  # fmt: skip
    cert_members = {
        cert: rng.random(n) < np.where(bio, bio_share, other_share)
        for cert, (bio_share, other_share) in cert_share.items()
    }

    return {
        "town": _text(rng, TOWNS, town, town_missing),
        "park": _text(rng, PARKS, np.maximum(park, 0), park_missing),
        "cluster": _text(rng, CLUSTERS, cluster, cluster_missing),
        "years_since_founding": _f32(_with_nan(rng, years)),
        "revenue_last_year": _f32(_with_nan(rng, revenue)),
        "rd_ratio": _f32(_with_nan(rng, rd_ratio)),
        "employees": _with_nan(rng, employees),
        "rd_staff_ratio": _f32(_with_nan(rng, rd_staff_ratio)),
        "invention_patents_3y": _with_nan(rng, patents),
        "chain_nodes": {"members": chain_members, "known": chain_known},
        "certifications": {"members": cert_members, "known": None},
        "is_biomedical": bio_column,
    }


# --- The policies ---------------------------------------------------------------------------------------------------


def _c(fact: str, op: str, value: object, label: str | None = None) -> dict:
    node = {"fact": fact, "op": op, "value": value}
    if label:
        node["label"] = label
    return node


def _p(name: str) -> dict:
    return {"param": name}


def _towns(rng: np.random.Generator, low: int = 1, high: int = 5) -> list[str]:
    count = int(rng.integers(low, high))
    picked = rng.choice(len(TOWNS), size=count, replace=False)
    return [TOWNS[i] for i in sorted(picked)]


def _pick(rng: np.random.Generator, options):
    return options[int(rng.integers(len(options)))]


def _rd_subsidy(rng, k):  # 研发投入补贴
    location = _c("town", "==", _p("focus_town")) if k % 2 == 0 else _c("town", "in", _towns(rng))
    return {
        "all": [
            _c("is_biomedical", "==", True, "生物医药企业"),
            location,
            _c("rd_ratio", ">=", _p("rd_ratio_min")),
            _c("revenue_last_year", ">=", _p("revenue_min")),
            {
                "any": [
                    _c("certifications", "contains", "hnte"),
                    _c("invention_patents_3y", ">=", _pick(rng, (1, 2, 3))),
                ]
            },
            {"not": _c("certifications", "contains", "little-giant")},
        ]
    }


def _hnte_reward(rng, k):  # 高新技术企业认定奖励
    criteria = [
        _c("certifications", "contains", "hnte"),
        _c("years_since_founding", ">=", _p("years_min")),
        _c("rd_staff_ratio", ">=", _p("rd_staff_ratio_min")),
        _c("rd_ratio", ">=", _p("hnte_rd_ratio")),
    ]
    if k % 2:
        criteria.append(_c("town", "not in", _towns(rng, 1, 3)))
    return {"all": criteria}


def _srdi(rng, k):  # 专精特新培育
    return {
        "all": [
            _c("cluster", "in", sorted(rng.choice(CLUSTERS, size=int(rng.integers(1, 3)), replace=False).tolist())),
            _c("employees", "<=", _p("employees_max_sme")),
            _c("revenue_last_year", "<", _pick(rng, (100_000_000, 200_000_000, 400_000_000))),
            {
                "any": [
                    _c("certifications", "contains", "srdi"),
                    {"all": [_c("invention_patents_3y", ">=", _p("patents_min")), _c("rd_ratio", ">=", 3)]},
                ]
            },
            {"not": _c("certifications", "contains any", ["little-giant", "listed"])},
        ]
    }


def _incubation(rng, k):  # 初创企业孵化
    park = _c("park", "in", list(PARKS[:2])) if k % 2 else _c("park", "==", _pick(rng, PARKS))
    return {
        "all": [
            _c("years_since_founding", "<", _pick(rng, (3, 5))),
            park,
            _c("is_biomedical", "==", True),
            _c("employees", ">=", _pick(rng, (3, 5, 10))),
            {"not": _c("certifications", "contains", "listed")},
        ]
    }


def _platform(rng, k):  # CRO/CDMO 平台支持
    nodes = [["U5", "M1"], ["M1"], ["U5"], ["M1", "M3"], ["U2", "U5"]][k % 5]
    return {
        "all": [
            _c("chain_nodes", "contains any", nodes),
            _c("town", "in", _towns(rng, 2, 6)),
            _c("revenue_last_year", ">=", _pick(rng, (5_000_000, 10_000_000, 30_000_000))),
            {"any": [_c("certifications", "contains", "gmp"), _c("certifications", "contains", "iso13485")]},
        ]
    }


def _talent(rng, k):  # 春申人才
    return {
        "all": [
            _c("certifications", "contains", "chunshen-key"),
            _c("rd_staff_ratio", ">=", _pick(rng, (10, 15, 20))),
            _c("employees", ">=", _pick(rng, (10, 20, 50))),
            {"any": [_c("town", "!=", "xinhong"), _c("cluster", "==", "pharma-bio")]},
        ]
    }


def _device_registration(rng, k):  # 医疗器械注册证补贴
    return {
        "all": [
            _c("cluster", "==", "devices"),
            _c("certifications", "contains", "iso13485"),
            _c("invention_patents_3y", ">=", _p("patents_min")),
            _c("chain_nodes", "contains", "M5"),
            {"not": _c("town", "not in", _towns(rng, 3, 8))},
        ]
    }


def _listing(rng, k):  # 上市奖励
    return {
        "all": [
            {"any": [_c("certifications", "contains", "listed"), _c("revenue_last_year", ">=", 500_000_000)]},
            _c("is_biomedical", "==", True),
            _c("town", "in", _towns(rng, 2, 7)),
            _c("rd_ratio", ">=", _p("rd_ratio_min")),
        ]
    }


def _lab_space(rng, k):  # 实验室空间租金补贴
    return {
        "all": [
            _c("park", "!=", _pick(rng, PARKS)),
            _c("chain_nodes", "not contains", "D1"),
            _c("employees", ">=", 10),
            _c("years_since_founding", ">=", 1),
            _c("invention_patents_3y", "!=", 0),
        ]
    }


def _pilot(rng, k):  # 试点政策：参数尚未设定
    return {
        "all": [
            _c("is_biomedical", "==", k % 2 == 0),
            _c("revenue_last_year", "<=", _p("pilot_revenue_cap")),
            _c("town", "==", "pujiang"),
            {"any": [_c("chain_nodes", "contains any", ["M3", "M6"]), _c("rd_ratio", ">", 8)]},
            {"not": {"all": [_c("employees", ">", 1000), _c("cluster", "!=", "health-services")]}},
        ]
    }


FAMILIES: tuple[tuple[str, Callable], ...] = (
    ("rd-subsidy", _rd_subsidy),
    ("hnte-reward", _hnte_reward),
    ("srdi-cultivation", _srdi),
    ("incubation", _incubation),
    ("platform", _platform),
    ("talent", _talent),
    ("device-registration", _device_registration),
    ("listing", _listing),
    ("lab-space", _lab_space),
    ("pilot", _pilot),
)


def generate_policies(seed: int = DEFAULT_SEED, count: int = POLICY_COUNT) -> list[tuple[str, dict]]:
    """`count` (name, rule tree) pairs: the ten families in turn, each instance varied by the seeded generator."""
    rng = np.random.default_rng([seed, 2])
    policies = []
    for i in range(count):
        family, make = FAMILIES[i % len(FAMILIES)]
        policies.append((f"{family}-{i // len(FAMILIES) + 1}", make(rng, i // len(FAMILIES))))
    return policies


def iter_criteria(tree: dict, path: str = ""):
    """(path, criterion) in document order, with paths in the contract's notation."""
    for kind in ("all", "any"):
        if kind in tree:
            for i, child in enumerate(tree[kind]):
                yield from iter_criteria(child, f"{path}.{kind}[{i}]" if path else f"{kind}[{i}]")
            return
    if "not" in tree:
        yield from iter_criteria(tree["not"], f"{path}.not" if path else "not")
        return
    yield path, tree


def criteria_count(policies: list[tuple[str, dict]]) -> int:
    return sum(1 for _, tree in policies for _ in iter_criteria(tree))


# --- Sanlian --------------------------------------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


def run_sanlian(n: int, seed: int, repeats: int) -> tuple[dict, np.ndarray]:
    from sanlian.engines import rules as engine

    cat = catalogue()
    facts = generate_facts(n, seed)
    policies = generate_policies(seed)
    rss_data = _peak_rss_mb()

    started = time.perf_counter()
    compiled = [engine.compile_rule(tree, cat) for _, tree in policies]
    params = engine.resolve_params(RAW_PARAMS, cat)
    compile_s = time.perf_counter() - started
    if params != EXPECTED_PARAMS:
        raise AssertionError(f"resolve_params returned {params!r}, expected {EXPECTED_PARAMS!r}")

    started = time.perf_counter()
    table = engine.FactTable.from_columns(n, facts, cat)
    table_s = time.perf_counter() - started
    rss_table = _peak_rss_mb()

    samples = []
    evaluation = None
    for _ in range(repeats):
        evaluation = None
        gc.collect()
        started = time.perf_counter()
        evaluation = engine.evaluate(compiled, table, params, explain=True)
        samples.append(time.perf_counter() - started)

    # Explanations are part of what is being paid for: explain a few (rule, row) pairs and time them.
    rows = np.random.default_rng([seed, 3]).integers(0, n, size=20)
    started = time.perf_counter()
    for i, row in enumerate(rows):
        tree = evaluation.explain(i % len(compiled), int(row))
        json.dumps(tree, ensure_ascii=False)
        if tree["outcome"] != engine.OUTCOME_NAMES[int(evaluation.outcomes[i % len(compiled), row])]:
            raise AssertionError(f"explain({i % len(compiled)}, {row}) disagrees with outcomes")
    explain_s = (time.perf_counter() - started) / len(rows)

    outcomes = np.asarray(evaluation.outcomes)
    stats = {
        "ms": _median_ms(samples),
        "samples_ms": [round(s * 1000, 3) for s in samples],
        "compile_ms": round(compile_s * 1000, 3),
        "table_ms": round(table_s * 1000, 3),
        "explain_one_ms": round(explain_s * 1000, 4),
        "rss_after_data_mb": round(rss_data, 1),
        "rss_after_table_mb": round(rss_table, 1),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "outcome_shares": _shares(outcomes),
    }
    return stats, outcomes


def _shares(outcomes: np.ndarray) -> dict[str, float]:
    total = outcomes.size
    return {
        name: round(float((outcomes == value).sum()) / total, 4)
        for value, name in ((0, "not_eligible"), (1, "unknown"), (2, "eligible"))
    }


def run_engine(engine: str, n: int, seed: int, repeats: int) -> tuple[dict, np.ndarray]:
    if engine == "sanlian":
        return run_sanlian(n, seed, repeats)
    if engine == "openfisca":
        from bench import policy_openfisca

        return policy_openfisca.run(n, seed, repeats)
    raise ValueError(engine)


# --- Orchestration --------------------------------------------------------------------------------------------------


def _run_worker(engine: str, n: int, seed: int, repeats: int, out: Path) -> dict:
    """One engine at one size in a fresh interpreter: its peak RSS is its own."""
    command = [
        sys.executable, str(Path(__file__).resolve()), "--worker", engine,
        "--sizes", str(n), "--seed", str(seed), "--repeats", str(repeats), "--out", str(out),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    if done.returncode != 0:
        raise RuntimeError(f"{engine} at {n} rows failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(sizes=DEFAULT_SIZES, repeats: int = DEFAULT_REPEATS, seed: int = DEFAULT_SEED, progress=None) -> dict:
    import numpy
    import openfisca_core  # noqa: F401  (fail early with a clear message when the bench extra is missing)

    policies = generate_policies(seed)
    result: dict = {
        "sizes": {},
        "policies": len(policies),
        "criteria": criteria_count(policies),
        "repeats": repeats,
        "seed": seed,
        "timed": {
            "sanlian": "evaluate(rules, table, params, explain=True); FactTable.from_columns and compile_rule apart",
            "openfisca": "simulation.calculate() of every policy variable on a fresh Simulation "
            "(criterion variables stay cached = explanations); TaxBenefitSystem and set_input apart",
        },
        "versions": {"python": sys.version.split()[0], "numpy": numpy.__version__, "openfisca_core": _of_version()},
    }
    with tempfile.TemporaryDirectory(prefix="sanlian-policy-bench-") as tmp:
        out = Path(tmp)
        for n in sizes:
            stats = {}
            for engine in ("sanlian", "openfisca"):
                if progress:
                    progress(f"{engine} at {n:,} rows…")
                stats[engine] = _run_worker(engine, n, seed, repeats, out)
            ours = np.load(out / f"sanlian-{n}.npy")
            theirs = np.load(out / f"openfisca-{n}.npy")
            equal = ours.shape == theirs.shape and bool(np.array_equal(ours, theirs))
            entry = {
                "sanlian_ms": stats["sanlian"]["ms"],
                "openfisca_ms": stats["openfisca"]["ms"],
                "ratio": round(stats["openfisca"]["ms"] / stats["sanlian"]["ms"], 2),
                "equal": equal,
                "sanlian": stats["sanlian"],
                "openfisca": stats["openfisca"],
            }
            if not equal:
                entry["differences"] = _differences(ours, theirs, policies)
            result["sizes"][str(n)] = entry
    result["equal"] = all(entry["equal"] for entry in result["sizes"].values())
    return result


def _of_version() -> str:
    from importlib.metadata import version

    return version("openfisca-core")


def _differences(ours: np.ndarray, theirs: np.ndarray, policies) -> list[dict]:
    if ours.shape != theirs.shape:
        return [{"shape": [list(ours.shape), list(theirs.shape)]}]
    found = []
    for i, (name, _) in enumerate(policies):
        rows = np.flatnonzero(ours[i] != theirs[i])
        if len(rows):
            found.append({"policy": name, "rows": int(len(rows)), "first_row": int(rows[0]),
                          "sanlian": int(ours[i, rows[0]]), "openfisca": int(theirs[i, rows[0]])})  # fmt: skip
    return found


def table(result: dict) -> str:
    lines = [
        f"{result['policies']} policies, {result['criteria']} criteria, median of {result['repeats']} runs "
        f"(openfisca-core {result['versions']['openfisca_core']}, numpy {result['versions']['numpy']})",
        "",
        f"{'rows':>10} {'sanlian ms':>11} {'openfisca ms':>13} {'ratio':>7} {'equal':>6} "
        f"{'table ms':>9} {'of load ms':>11} {'RSS sanlian':>12} {'RSS openfisca':>14}",
    ]
    for n, entry in result["sizes"].items():
        s, o = entry["sanlian"], entry["openfisca"]
        lines.append(
            f"{int(n):>10,} {entry['sanlian_ms']:>11.1f} {entry['openfisca_ms']:>13.1f} {entry['ratio']:>6.2f}× "
            f"{'yes' if entry['equal'] else 'NO':>6} {s['table_ms']:>9.1f} {o['load_ms']:>11.1f} "
            f"{s['peak_rss_mb']:>9.0f} MB {o['peak_rss_mb']:>11.0f} MB"
        )
    lines += ["", "ratio = openfisca_ms / sanlian_ms; RSS = peak of a fresh process per engine and size."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated row counts")
    parser.add_argument("--repeats", type=int, default=DEFAULT_REPEATS, help="timed runs per engine (median)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--worker", choices=("sanlian", "openfisca"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if args.repeats < 1 or not sizes or min(sizes) < 1:
        parser.error("--repeats and --sizes must be positive")

    if args.worker:
        stats, outcomes = run_engine(args.worker, sizes[0], args.seed, args.repeats)
        np.save(args.out / f"{args.worker}-{sizes[0]}.npy", outcomes)
        print(json.dumps(stats))
        return 0

    try:
        import openfisca_core  # noqa: F401
    except ImportError:
        print("openfisca-core is missing: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    progress = None if args.json else (lambda message: print(message, file=sys.stderr, flush=True))
    result = run(sizes, args.repeats, args.seed, progress=progress)
    print(json.dumps(result, ensure_ascii=False) if args.json else table(result))
    return 0 if result["equal"] else 1


if __name__ == "__main__":
    sys.exit(main())
