"""The talent part of the demo (issue 4): the 春申 rounds 2023–2025 with their records, the key
enterprises' programme terms, a live story for every role, and the global talent ambassadors.

- Rounds are configured through `round_save` from the documents in sanlian/talent/data/rounds
  (2024.yaml repeats 2023 with dates a year on: a demo assumption, said in the file).
- The finished rounds are records written in bulk (records.py); 2023 in 浦江镇 reproduces FACTS.md:
  496 approved applications whose employer is in the town, 117 of them with a biomedical employer.
- The 2025 round's second batch is told through the services (story.py), around the load date.
- Ambassadors are appointed through the service; their leads are history rows (ambassadors.py).

Loading runs inside `demo_load`'s transaction and is keyed by round year, by the demo enterprises'
applications and by the ambassadors' appointments, so a second run writes nothing.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

import sanlian.talent
from sanlian.core.models import Role, User
from sanlian.demo.generator import IMPORTED_AT, SEED, TZ
from sanlian.enterprises.models import Region
from sanlian.talent.models import (
    ApplicationMaterial,
    Benefit,
    Certificate,
    Notice,
    ReviewAssignment,
    Round,
    TalentApplication,
)
from sanlian.talent.services.rounds import round_save, round_set_status

from . import ambassadors, drafts, records, story
from .people import PeopleBook

ROUNDS_DIR = Path(sanlian.talent.__file__).parent / "data" / "rounds"
YEARS = (2023, 2024, 2025)
KEY_TERM_YEARS = (2023, 2024)
# The expert panel that scored the finished rounds (the demo logins mh_officer and mh_reviewer score the
# live ones, so their review lists hold what is theirs to do).
EXPERT_PREFIX = "demo-reviewer-"
EXPERTS = ("王建国", "李慧敏", "张立群", "赵文涛", "孙海燕", "周国庆")
KEY_TERMS_AT = {2023: IMPORTED_AT + timedelta(hours=2), 2024: datetime(2024, 7, 1, 10, tzinfo=TZ)}


def _at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TZ)


# When each round was configured and moved through its statuses. The 2023 round predates the platform:
# it came in with the imported records at go-live.
ROUND_HISTORY = {
    2023: (IMPORTED_AT + timedelta(hours=1), [("closed", IMPORTED_AT + timedelta(hours=1, minutes=5))]),
    2024: (
        _at(2024, 4, 22, 10),
        [("open", _at(2024, 5, 6, 9)), ("reviewing", _at(2024, 6, 6, 9)), ("closed", _at(2024, 9, 20, 9))],
    ),
    2025: (_at(2025, 3, 17, 10), [("open", _at(2025, 4, 1, 9))]),
}


@dataclass
class TalentLoadResult:
    rounds: int = 0
    applications: int = 0
    approved: int = 0
    events: int = 0
    reviews: int = 0
    notices: int = 0
    certificates: int = 0
    key_terms: int = 0
    story_applications: int = 0
    benefits: int = 0
    ambassadors: int = 0
    leads: int = 0
    deadline_extended: bool = False
    # (year, town code) → (approved, of which with a biomedical employer) of the bulk records
    approved_by_town: dict = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.rounds or self.applications or self.key_terms or self.ambassadors or self.benefits)

    def figures(self, year: int, town: str = drafts.PUJIANG) -> tuple[int, int]:
        return self.approved_by_town.get((year, town), (0, 0))


def round_document(year: int) -> str:
    return (ROUNDS_DIR / f"{year}.yaml").read_text(encoding="utf-8")


def _rounds_ensure(users: dict, result: TalentLoadResult) -> dict[int, Round]:
    district = users["mh_officer"]
    region = Region.objects.get(code="minhang")
    rounds = {r.year: r for r in Round.objects.filter(year__in=YEARS)}
    for year in YEARS:
        if year in rounds:
            continue
        saved_at, statuses = ROUND_HISTORY[year]
        round_ = round_save(actor=district, document=round_document(year), region=region, now=saved_at)
        for status, when in statuses:
            round_ = round_set_status(actor=district, round_=round_, status=status, now=when)
        rounds[year] = round_
        result.rounds += 1
    return rounds


def _panel_ensure(district: User) -> tuple[User, ...]:
    """The district's expert reviewers of the finished rounds: accounts without a usable password."""
    panel = []
    for i, name in enumerate(EXPERTS, start=1):
        user = User.objects.filter(username=f"{EXPERT_PREFIX}{i}").first()
        if user is None:
            user = User(
                username=f"{EXPERT_PREFIX}{i}",
                role=Role.DISTRICT_OFFICER,
                region_id=district.region_id,
                display_name=name,
                date_joined=IMPORTED_AT,
            )
            user.set_unusable_password()
            user.save()
        panel.append(user)
    return tuple(panel)


def _actors(users: dict) -> records.Actors:
    town_officers = {
        u.region.code: u for u in users.values() if u.role == Role.TOWN_OFFICER and u.region_id is not None
    }
    district = users["mh_officer"]
    return records.Actors(town_officers=town_officers, district=district, panel=_panel_ensure(district))


def load(*, users: dict, seed: int = SEED, scale: float = 1.0, today: date | None = None) -> TalentLoadResult:
    """Write the talent demo (inside the caller's transaction); `users` are the demo accounts by username."""
    today = today or timezone.localdate()
    result = TalentLoadResult()
    rounds = _rounds_ensure(users, result)
    people = PeopleBook(random.Random(f"{seed}:talent:people"))
    demo_applications = TalentApplication.objects.filter(round__in=rounds.values(), employer__is_demo=True)
    if not demo_applications.exists():
        written = records.RecordsResult()
        all_employers = drafts.employers(seed)
        key = drafts.key_enterprises()
        actors = _actors(users)
        for year in YEARS:
            round_ = rounds[year]
            planned = drafts.drafts_for_round(
                seed=seed, scale=scale, round_=round_, all_employers=all_employers, key=key, people=people
            )
            rng = random.Random(f"{seed}:talent:write:{year}")
            records.write_round(rng=rng, round_=round_, drafts=planned, actors=actors, result=written)
        result.key_terms = records.key_terms(seed=seed, years=KEY_TERM_YEARS, created=KEY_TERMS_AT)
        told = story.tell(
            users=users, rounds=rounds, today=today, seed=seed, people=people, document=round_document(2025)
        )
        result.applications = written.applications + told.applications
        result.story_applications = told.applications
        result.benefits = told.benefits
        result.deadline_extended = told.extended
        for name in ("approved", "events", "reviews", "notices", "certificates", "approved_by_town"):
            setattr(result, name, getattr(written, name))
    appointed = ambassadors.ensure(users=users, seed=seed, people=people)
    result.ambassadors, result.leads = appointed.ambassadors, appointed.leads
    return result


def unload() -> dict[str, int]:
    """Remove what `load` wrote: the demo enterprises' applications (with their files), the ambassadors,
    the rounds left without applications, and the demo reviewers' assignments."""
    from sanlian.demo.accounts import DEMO_USERNAMES

    leads = ambassadors.unload()
    applications = TalentApplication.objects.filter(Q(employer__is_demo=True))
    files = [m.file for m in ApplicationMaterial.objects.filter(application__in=applications)]
    transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])  # only once the rows are gone
    Benefit.objects.filter(application__in=applications).delete()
    Certificate.objects.filter(application__in=applications).delete()
    count = applications.count()
    applications.delete()
    demo_reviewers = User.objects.filter(Q(username__in=DEMO_USERNAMES) | Q(username__startswith=EXPERT_PREFIX))
    ReviewAssignment.objects.filter(reviewer__in=demo_reviewers).delete()
    User.objects.filter(username__startswith=EXPERT_PREFIX, role=Role.DISTRICT_OFFICER).delete()
    empty = Round.objects.filter(year__in=YEARS).exclude(pk__in=TalentApplication.objects.values("round_id"))
    Notice.objects.filter(round__in=empty).delete()
    rounds = empty.count()
    empty.delete()
    return {"applications": count, "rounds": rounds, "ambassadors": leads}
