"""The deterministic demo data of 浦江镇 and 闵行区, as a plan of plain values (no database).

`build_plan(seed=..., scale=...)` returns the same plan for the same arguments on every run and
machine: every random draw comes from a `random.Random` seeded with a string, and no date is read
from the clock. `sanlian.demo.services.demo_load` writes a plan to the database.
"""

from .enterprises import build_enterprises
from .figures import build_certifications, build_reports, calibrated_revenues
from .specs import (
    IMPORTED_AT,
    REVENUE_TARGET,
    REVENUE_TARGET_YEAR,
    SEED,
    TZ,
    CertificationSpec,
    ContactSpec,
    DemoPlan,
    EnterpriseSpec,
    ReportSpec,
    Sizes,
)

__all__ = [
    "IMPORTED_AT",
    "REVENUE_TARGET",
    "REVENUE_TARGET_YEAR",
    "SEED",
    "TZ",
    "CertificationSpec",
    "ContactSpec",
    "DemoPlan",
    "EnterpriseSpec",
    "ReportSpec",
    "Sizes",
    "build_plan",
]


def build_plan(*, seed: int = SEED, scale: float = 1.0) -> DemoPlan:
    """Every row of the demo; `scale` shrinks the population (for tests), never the calibrated figures."""
    sizes = Sizes().scaled(scale)
    enterprises = build_enterprises(seed, sizes)
    revenues = calibrated_revenues(seed, enterprises)
    return DemoPlan(
        seed=seed,
        scale=scale,
        sizes=sizes,
        enterprises=enterprises,
        reports=build_reports(seed, enterprises, sizes, revenues),
        certifications=build_certifications(seed, enterprises, sizes, revenues),
    )
