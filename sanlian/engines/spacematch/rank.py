"""Ranking of spaces against a need: hard constraints, then scored preferences, with reasons."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .grades import GRADES, grade_better, grade_satisfies

# Specs that are simply present or not.
BOOL_SPECS = ("exhaust", "pure_water", "hazchem_permit", "env_approval")
# Points a met preference adds; a missed one adds nothing, so adding a met preference never lowers a score.
PREFERENCE_WEIGHTS: dict[str, int] = {
    "cleanroom": 25,
    "floor_load": 15,
    "power_kva": 15,
    "exhaust": 10,
    "pure_water": 10,
    "hazchem_permit": 10,
    "env_approval": 10,
}
# Terms in the order pages list them.
SPEC_TERMS = ("cleanroom", "floor_load", "power_kva", *BOOL_SPECS)

MET, MISSED, FAILED = "met", "missed", "failed"


@dataclass(frozen=True)
class Specs:
    """Technical specs; on a need, None/False means "not asked"."""

    cleanroom: str | None = None  # a GRADES code
    floor_load: int | None = None  # kg/m²
    power_kva: int | None = None
    exhaust: bool = False
    pure_water: bool = False
    hazchem_permit: bool = False
    env_approval: bool = False

    def __post_init__(self):
        if self.cleanroom is not None and self.cleanroom not in GRADES:
            raise ValueError(f"unknown cleanroom grade {self.cleanroom!r}")

    def asked_terms(self) -> list[str]:
        return [term for term in SPEC_TERMS if getattr(self, term) not in (None, False)]


@dataclass(frozen=True)
class Space:
    id: int
    kind: str
    vacant_area: Decimal  # m²
    rent_fen: int  # per m² per day
    available_date: date
    park: str
    town: str
    specs: Specs = field(default_factory=Specs)


@dataclass(frozen=True)
class Need:
    kind: str | None = None
    area_min: Decimal | None = None
    area_max: Decimal | None = None
    required: Specs = field(default_factory=Specs)
    preferred: Specs = field(default_factory=Specs)
    max_rent_fen: int | None = None
    move_in_date: date | None = None  # the space must be available by then
    parks: frozenset[str] = frozenset()
    towns: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reason:
    """One term of the explanation: `status` is met, missed (a preference) or failed (a hard constraint).

    `margin` is offered − asked for numbers, +1/0 for a cleanroom cleaner than / exactly as asked.
    """

    term: str
    status: str
    offered: object
    asked: object
    hard: bool
    margin: object = None
    points: int = 0


@dataclass(frozen=True)
class Ranked:
    space: Space
    score: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Excluded:
    space: Space
    failed: tuple[Reason, ...]
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Result:
    ranked: tuple[Ranked, ...]
    excluded: tuple[Excluded, ...]


def _spec_reason(term: str, offered: Specs, asked: Specs, hard: bool) -> Reason:
    have, want = getattr(offered, term), getattr(asked, term)
    if term == "cleanroom":
        met = grade_satisfies(have, want)
        margin = (1 if grade_better(have, want) else 0) if met else None
    elif term in BOOL_SPECS:
        met, margin = bool(have), None
    else:
        met = have is not None and have >= want
        margin = have - want if have is not None else None
    status = MET if met else (FAILED if hard else MISSED)
    points = PREFERENCE_WEIGHTS[term] if met and not hard else 0
    return Reason(term, status, have, want, hard, margin, points)


def _hard_reasons(space: Space, need: Need) -> list[Reason]:
    reasons = []

    def check(term, met, offered, asked, margin=None):
        reasons.append(Reason(term, MET if met else FAILED, offered, asked, True, margin))

    if need.kind:
        check("kind", space.kind == need.kind, space.kind, need.kind)
    if need.area_min is not None:
        check("area_min", space.vacant_area >= need.area_min, space.vacant_area, need.area_min,
              space.vacant_area - need.area_min)  # fmt: skip
    if need.area_max is not None:
        check("area_max", space.vacant_area <= need.area_max, space.vacant_area, need.area_max,
              need.area_max - space.vacant_area)  # fmt: skip
    if need.max_rent_fen is not None:
        check("rent", space.rent_fen <= need.max_rent_fen, space.rent_fen, need.max_rent_fen,
              need.max_rent_fen - space.rent_fen)  # fmt: skip
    if need.move_in_date is not None:
        check("available", space.available_date <= need.move_in_date, space.available_date, need.move_in_date,
              (need.move_in_date - space.available_date).days)  # fmt: skip
    if need.parks:
        check("park", space.park in need.parks, space.park, tuple(sorted(need.parks)))
    if need.towns:
        check("town", space.town in need.towns, space.town, tuple(sorted(need.towns)))
    reasons += [_spec_reason(term, space.specs, need.required, True) for term in need.required.asked_terms()]
    return reasons


def _preference_reasons(space: Space, need: Need) -> list[Reason]:
    # A preference already required is not scored twice.
    asked = [t for t in need.preferred.asked_terms() if t not in need.required.asked_terms()]
    return [_spec_reason(term, space.specs, need.preferred, False) for term in asked]


def rank(spaces, need: Need) -> Result:
    """Spaces meeting every hard constraint, best score first (then cheaper, then lower id); the rest excluded."""
    ranked, excluded = [], []
    for space in spaces:
        hard = _hard_reasons(space, need)
        soft = _preference_reasons(space, need)
        failed = tuple(r for r in hard if r.status == FAILED)
        if failed:
            excluded.append(Excluded(space, failed, tuple(hard + soft)))
        else:
            ranked.append(Ranked(space, sum(r.points for r in soft), tuple(hard + soft)))
    ranked.sort(key=lambda r: (-r.score, r.space.rent_fen, r.space.id))
    excluded.sort(key=lambda e: (len(e.failed), e.space.id))
    return Result(tuple(ranked), tuple(excluded))
