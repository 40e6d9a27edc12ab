"""The applications of the finished rounds, drawn as plain values before anything is written.

浦江镇 gets exactly the figures of APPROVED (2023 = FACTS.md: 496 approved, 117 with a biomedical
employer), the other towns a number in proportion to their biomedical enterprises; then a tail of
rejected and withdrawn applications. Employers are drawn among the fictional (demo) enterprises that
existed in the year, key enterprises of the year more often; levels, types, ages, degrees, contracts
and routes follow the round's document, and the company-head and manager quotas (one each per
employer and round) hold. Every draw comes from a seeded stream over enterprises ordered by USCC.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sanlian.enterprises.models import Certification, Enterprise
from sanlian.enterprises.selectors import KEY_ENTERPRISE_TYPE
from sanlian.talent.models import Round, Route

from .people import TITLES, PeopleBook, Person

PUJIANG = "pujiang"

# year → (approved in 浦江镇, of which with a biomedical employer, approved per biomedical enterprise
# elsewhere). 2023 is FACTS.md (人才总量达496人,其中生物医药产业人才117人); 2024 and 2025 are demo figures.
APPROVED = {2023: (496, 117, 0.6), 2024: (528, 131, 0.65), 2025: (341, 92, 0.45)}
REJECTED_SHARE = 0.12
WITHDRAWN_SHARE = 0.04
NOTICE_REJECTIONS = 2  # per round and town at most: objections during the notice
KEY_WEIGHT = 6.0  # a key enterprise of the year files this many times more than another

LEVEL_WEIGHTS = {
    2023: {"excellent": 2, "distinguished": 9, "elite": 47, "young": 42},
    2024: {"excellent": 2, "distinguished": 9, "elite": 46, "young": 43},
    2025: {"A": 0.6, "B1": 2, "B2": 5, "C1": 12, "C2": 25, "D": 30.4, "E": 25},
}
# Age on the round's reference date, by the level's rank (0 = the top level).
AGE_BY_RANK = {0: (44, 60), 1: (38, 56), 2: (31, 50), 3: (31, 50), 4: (30, 48), 5: (28, 45)}
YOUNG_LEVELS = {"young", "E"}
YOUNG_AGE = (26, 34)
DEGREES_BY_RANK = {0: (0.9, 0.08), 1: (0.75, 0.2), 2: (0.45, 0.4), 3: (0.4, 0.4), 4: (0.3, 0.45), 5: (0.2, 0.45)}
TYPE_WEIGHTS = {"academic": 18, "technical": 57, "management": 25}
TITLED_LEVELS = {"A", "B1", "B2"}
GRADUATION_AGE = {"bachelor": 22, "master": 25, "doctor": 28}


@dataclass(frozen=True)
class Employer:
    pk: int
    uscc: str
    name: str
    town: str
    is_biomedical: bool
    founded_year: int
    weight: float  # how much the firm files, before the key-enterprise factor


@dataclass
class Draft:
    """One application to write, with the history it went through."""

    employer: Employer
    level: object  # Level
    rank: int  # the level's place in the round, 0 = the top one
    outcome: str  # approved | town_rejected | district_rejected | notice_rejected | withdrawn_early | withdrawn
    person: Person
    talent_type: str = ""
    position: str = ""
    route: str = Route.CONDITIONS
    titles: list = field(default_factory=list)
    is_founder: bool = False
    contract: tuple[date | None, date | None] = (None, None)
    social_insurance_months: int | None = None
    tax_record_months: int | None = None
    title: str = ""


def _scaled(n: int, scale: float) -> int:
    return n if scale == 1 else max(1, round(n * scale))


def _years_between(earlier: date, later: date) -> int:
    return later.year - earlier.year - ((later.month, later.day) < (earlier.month, earlier.day))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# Employers -------------------------------------------------------------------------------------------


def employers(seed: int) -> list[Employer]:
    rows = (
        Enterprise.objects.filter(is_demo=True)
        .values_list("pk", "uscc", "name", "town__code", "is_biomedical", "founded_date")
        .order_by("uscc")
    )
    result = []
    for pk, uscc, name, town, biomedical, founded in rows:
        weight = random.Random(f"{seed}:talent-weight:{uscc}").lognormvariate(0, 0.8)
        result.append(Employer(pk, uscc, name, town, biomedical, founded.year if founded else 2000, weight))
    return result


def key_enterprises() -> dict[int, set[int]]:
    """Year → ids of the enterprises holding that year's key-enterprise certification."""
    result: dict[int, set[int]] = {}
    rows = Certification.objects.filter(type__code=KEY_ENTERPRISE_TYPE, year__isnull=False).values_list(
        "year", "enterprise_id"
    )
    for year, enterprise_id in rows:
        result.setdefault(year, set()).add(enterprise_id)
    return result


class Picker:
    """Draws employers for a year in proportion to their weight, key enterprises more often."""

    def __init__(self, rng: random.Random, candidates: list[Employer], key: set[int]):
        self.rng = rng
        self.candidates = candidates
        self.weights = [e.weight * (KEY_WEIGHT if e.pk in key else 1.0) for e in candidates]

    def take(self, n: int) -> list[Employer]:
        if not self.candidates or n <= 0:
            return []
        return self.rng.choices(self.candidates, weights=self.weights, k=n)


# Drafts ----------------------------------------------------------------------------------------------


class RoundDrafter:
    """Draws the applications of one round: levels, types, quotas, people, contracts and routes."""

    def __init__(self, rng: random.Random, round_: Round, people: PeopleBook):
        self.rng = rng
        self.round = round_
        self.people = people
        self.levels = {level.code: level for level in round_.levels.all()}
        self.rank = {code: i for i, code in enumerate(self.levels)}
        weights = LEVEL_WEIGHTS[round_.year]
        self.level_codes = [code for code in self.levels if code in weights]
        self.level_weights = [weights[code] for code in self.level_codes]
        self.type_codes = [t["code"] for t in round_.types]
        self.quota_used: dict[tuple[int, str], int] = {}

    def _free(self, employer: Employer, position: str) -> bool:
        return self.quota_used.get((employer.pk, position), 0) < 1

    def _hold(self, employer: Employer, position: str) -> None:
        key = (employer.pk, position)
        self.quota_used[key] = self.quota_used.get(key, 0) + 1

    def draft(self, employer: Employer, outcome: str, level_code: str | None = None) -> Draft:
        rng, round_ = self.rng, self.round
        code = level_code or rng.choices(self.level_codes, weights=self.level_weights, k=1)[0]
        level = self.levels[code]
        rank = min(self.rank[code], 5)
        ref = round_.age_reference_date
        low, high = YOUNG_AGE if code in YOUNG_LEVELS else AGE_BY_RANK[rank]
        born_after = _years_before(ref, high + 1) + timedelta(days=1)
        born_before = _years_before(ref, low) - timedelta(days=1)
        person = self.people.person(born_after=born_after, born_before=born_before)
        draft = Draft(employer=employer, level=level, rank=rank, outcome=outcome, person=person)
        live = outcome in ("approved", "notice_rejected", "district_rejected")
        self._type_and_position(draft, live)
        doctor, master = DEGREES_BY_RANK[rank]
        roll, age = rng.random(), _years_between(person.birth_date, round_.open_date)
        degree = "doctor" if roll < doctor else "master" if roll < doctor + master else "bachelor"
        if age < 29 and degree == "doctor":
            degree = "master"
        if code in TITLED_LEVELS and rng.random() < 0.5:
            draft.route, draft.titles = Route.NO_APPLICATION, [rng.choice(("national", "city"))]
        else:
            routes = [r for r in (Route.CONDITIONS, Route.CATALOGUE, Route.SPECIAL) if r in round_.routes]
            draft.route = rng.choices(routes, weights=[70, 24, 6][: len(routes)], k=1)[0]
        # With the employer since finishing the degree at the earliest, and at least two months before the round.
        graduated = _years_before(person.birth_date, -GRADUATION_AGE[degree])
        since = date(round_.open_date.year - rng.randint(1, 8), rng.randint(1, 12), 1)
        since = max(since, date(employer.founded_year, 1, 1) + timedelta(days=180), graduated)
        since = min(since, round_.open_date - timedelta(days=60))
        if draft.is_founder:
            draft.tax_record_months = rng.randint(24, 120)
        else:
            years = rng.choice((3, 3, 5, 5, 10))
            draft.contract = (since, _years_before(since, -years) - timedelta(days=1))
        draft.social_insurance_months = rng.randint(6, 60) if rng.random() < 0.3 else rng.randint(12, 200)
        biomedical = employer.is_biomedical
        self.people.background(
            person, biomedical=biomedical, degree=degree, title=draft.title, employer=employer.name, since=since
        )
        return draft

    def _type_and_position(self, draft: Draft, live: bool) -> None:
        """The talent type and, within the round's quotas, the company-head or manager position."""
        rng, employer = self.rng, draft.employer
        if self.type_codes:
            draft.talent_type = rng.choices(
                self.type_codes, weights=[TYPE_WEIGHTS.get(c, 10) for c in self.type_codes], k=1
            )[0]
            wants_position = draft.talent_type == "management"
        else:
            wants_position = rng.random() < 0.12
        position = ""
        if wants_position:
            order = ("company_head", "manager") if rng.random() < 0.45 else ("manager", "company_head")
            position = next((p for p in order if self._free(employer, p)), "")
            if not position and draft.talent_type == "management":
                draft.talent_type = "technical"  # both places taken at this employer this year
        if position and live:
            self._hold(employer, position)
        draft.position = position
        draft.is_founder = position == "company_head" and rng.random() < 0.5
        kind = "company_head" if position == "company_head" else draft.talent_type or "technical"
        if position == "manager":
            kind = "management"
        draft.title = rng.choice(TITLES[kind])


# Rounds ----------------------------------------------------------------------------------------------


def drafts_for_round(
    *, seed: int, scale: float, round_: Round, all_employers: list[Employer], key: dict, people: PeopleBook
) -> list[Draft]:
    """Every application of a finished round: 浦江镇 to the figures, the other towns by their size."""
    year = round_.year
    rng = random.Random(f"{seed}:talent:{year}")
    drafter = RoundDrafter(rng, round_, people)
    existing = [e for e in all_employers if e.founded_year <= (year if year < 2025 else 2024)]
    # The 2025 round is drawn against the 2024 designations (the latest the registry holds).
    key_year = key.get(year) or key.get(year - 1) or set()
    total, biomedical, per_enterprise = APPROVED[year]
    total, biomedical = _scaled(total, scale), _scaled(biomedical, scale)
    biomedical = min(biomedical, total)
    groups: list[tuple[list[Employer], int]] = [
        ([e for e in existing if e.town == PUJIANG and e.is_biomedical], biomedical),
        ([e for e in existing if e.town == PUJIANG and not e.is_biomedical], total - biomedical),
    ]
    for town in sorted({e.town for e in existing if e.town != PUJIANG}):
        members = [e for e in existing if e.town == town]
        groups.append((members, round(len(members) * per_enterprise)))
    drafts: list[Draft] = []
    forced_top = "A" if year == 2025 else None
    for members, approved in groups:
        picker = Picker(rng, members, key_year)
        for n, employer in enumerate(picker.take(approved)):
            # Level A is rare; the first Pujiang biomedical talents of 2025 hold it, so the benefits exist.
            level = forced_top if forced_top and members is groups[0][0] and n < 2 else None
            drafts.append(drafter.draft(employer, "approved", level))
        rejected = math.floor(approved * REJECTED_SHARE + 0.5)
        withdrawn = math.floor(approved * WITHDRAWN_SHARE + 0.5)
        notice_rejected = min(NOTICE_REJECTIONS, rejected // 8)
        outcomes = (
            ["notice_rejected"] * notice_rejected
            + ["district_rejected"] * round((rejected - notice_rejected) * 0.6)
            + ["town_rejected"] * (rejected - notice_rejected - round((rejected - notice_rejected) * 0.6))
            + ["withdrawn_early", "withdrawn"] * (withdrawn // 2)
            + ["withdrawn"] * (withdrawn % 2)
        )
        for employer, outcome in zip(picker.take(len(outcomes)), outcomes, strict=True):
            drafts.append(drafter.draft(employer, outcome))
    return drafts
