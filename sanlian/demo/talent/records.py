"""The finished rounds of the talent demo as records, written in bulk.

Every approved application is a real record with its history: the steps the applicant sees
(ApplicationEvent), two reviewers' scores on the round's sheet (ReviewAssignment), the round's public
notice and the certificate. The numbers of FACTS.md come out of these records, not out of a stored
figure: 496 approved applications of the 2023 round whose employer is in 浦江镇, 117 of them with a
biomedical employer. Other towns, the 2024 and 2025 rounds and a tail of rejected and withdrawn
applications are drawn around them. The key enterprises' programme terms (quota, authorised route)
are added beside the registry's 2023 and 2024 designations, which stay as they are.

Everything is drawn from seeded random streams over enterprises ordered by USCC, so two loads write
the same rows. Employers are the fictional (demo) enterprises only: no invented person is placed at
one of the real enterprises the report names.
"""

import random
import string
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sanlian.demo.generator import IMPORTED_AT, TZ
from sanlian.enterprises.models import Certification
from sanlian.enterprises.selectors import KEY_ENTERPRISE_TYPE
from sanlian.talent.models import (
    ApplicationEvent,
    Certificate,
    KeyEnterprise,
    Notice,
    ReviewAssignment,
    Round,
    TalentApplication,
)
from sanlian.talent.services.applications import id_digest
from sanlian.talent.services.certificates import certificate_number

from .drafts import Draft

S = TalentApplication.Status
BATCH = 500

TOWN_APPROVE = "材料齐全,符合申报条件,同意推荐。"
TOWN_REJECT = (
    "劳动合同期限不足3年,不符合申报条件。",
    "社保缴纳记录与用人单位不一致,经核实不予推荐。",
    "申报材料不完整,补正期限内未补充。",
)
DISTRICT_REJECT = (
    "经专家评审,综合得分未达到该层次认定标准。",
    "业绩成果与申报层次要求差距较大,建议下一年度申报其他层次。",
)
NOTICE_REJECT = "公示期间收到实名反映,经核实申报业绩材料与实际不符,不予认定。"
WITHDRAW = ("本人已离职,撤回申报。", "拟于下一年度申报,本年度撤回。")
TOKEN_ALPHABET = string.ascii_letters + string.digits + "-_"
TOKEN_LENGTH = 22  # as long as secrets.token_urlsafe(16)


@dataclass(frozen=True)
class Timeline:
    """When the steps of a round happened (its dates are in the round's document)."""

    filed: tuple[date, date]
    town: tuple[date, date]
    assigned: date
    scored: tuple[date, date]
    notice_start: date
    decided: date

    @property
    def notice_published(self) -> datetime:
        return datetime.combine(self.notice_start - timedelta(days=3), time(16), tzinfo=TZ)


TIMELINES = {
    2023: Timeline(
        (date(2023, 5, 8), date(2023, 6, 2)),
        (date(2023, 6, 12), date(2023, 6, 30)),
        date(2023, 7, 3),
        (date(2023, 7, 10), date(2023, 8, 11)),
        date(2023, 9, 11),
        date(2023, 9, 20),
    ),
    2024: Timeline(
        (date(2024, 5, 6), date(2024, 6, 1)),
        (date(2024, 6, 11), date(2024, 6, 28)),
        date(2024, 7, 1),
        (date(2024, 7, 8), date(2024, 8, 9)),
        date(2024, 9, 9),
        date(2024, 9, 19),
    ),
    2025: Timeline(
        (date(2025, 4, 1), date(2025, 6, 25)),
        (date(2025, 7, 2), date(2025, 7, 18)),
        date(2025, 7, 21),
        (date(2025, 7, 28), date(2025, 8, 22)),
        date(2025, 9, 15),
        date(2025, 9, 26),
    ),
}


@dataclass
class RecordsResult:
    applications: int = 0
    approved: int = 0
    events: int = 0
    reviews: int = 0
    notices: int = 0
    certificates: int = 0
    key_terms: int = 0
    # (year, town code) → (approved, of which biomedical), as written
    approved_by_town: dict = field(default_factory=dict)


def at(rng: random.Random, first: date, last: date, hours=(9, 17)) -> datetime:
    day = first + timedelta(days=rng.randrange((last - first).days + 1))
    return datetime.combine(day, time(rng.randint(*hours), rng.randint(0, 59)), tzinfo=TZ)


# Writing ---------------------------------------------------------------------------------------------


@dataclass
class Actors:
    town_officers: dict  # town code → User
    district: object  # the deciding district officer
    panel: tuple  # the district's expert reviewers; two of them score each application


def _scores(rng: random.Random, items: list, quality: float) -> tuple[dict, Decimal]:
    scores, total = {}, Decimal(0)
    for item in items:
        raw = item.max_score * min(0.99, max(0.2, quality + rng.gauss(0, 0.04)))
        value = Decimal(round(raw * 2)) / 2
        scores[item.code] = str(value)
        total += value
    return scores, total


def _quality(rng: random.Random, draft: Draft, rank: int) -> float:
    if draft.outcome == "district_rejected":
        return rng.uniform(0.48, 0.66)
    top = {0: (0.86, 0.96), 1: (0.8, 0.93)}.get(rank, (0.7, 0.9))
    return rng.uniform(*top)


def write_round(
    *,
    rng: random.Random,
    round_: Round,
    drafts: list[Draft],
    actors: Actors,
    result: RecordsResult,
) -> None:
    """Insert the round's applications with their events, reviews, notice and certificates."""
    line = TIMELINES[round_.year]
    items = list(round_.scoring_items.all())
    notice = Notice.objects.create(
        round=round_,
        title=f"{round_.name}拟认定人选公示",
        start_date=line.notice_start,
        end_date=line.notice_start + timedelta(days=round_.notice_days - 1),
        published_at=line.notice_published,
        published_by=actors.district,
    )
    result.notices += 1
    rows, histories = [], []
    for draft in drafts:
        row, history = _application(rng, round_, draft, line, items, notice, actors)
        rows.append(row)
        histories.append(history)
    TalentApplication.objects.bulk_create(rows, batch_size=BATCH)
    events, reviews, certificates = [], [], []
    approved = sorted(
        (row for row in rows if row.status == S.APPROVED), key=lambda r: (r.decided_at, r.employer_id, r.pk)
    )
    for row, (steps, scored) in zip(rows, histories, strict=True):
        events += [ApplicationEvent(application_id=row.pk, **step) for step in steps]
        reviews += [ReviewAssignment(application_id=row.pk, **review) for review in scored]
    tokens: set[str] = set()
    for serial, row in enumerate(approved, start=1):
        token = "".join(rng.choices(TOKEN_ALPHABET, k=TOKEN_LENGTH))
        while token in tokens:  # pragma: no cover - 64^22 tokens
            token = "".join(rng.choices(TOKEN_ALPHABET, k=TOKEN_LENGTH))
        tokens.add(token)
        number = certificate_number(round_.year, serial)
        certificates.append(Certificate(application_id=row.pk, number=number, token=token, issued_at=row.decided_at))
    ApplicationEvent.objects.bulk_create(events, batch_size=BATCH)
    ReviewAssignment.objects.bulk_create(reviews, batch_size=BATCH)
    Certificate.objects.bulk_create(certificates, batch_size=BATCH)
    result.applications += len(rows)
    result.approved += len(approved)
    result.events += len(events)
    result.reviews += len(reviews)
    result.certificates += len(certificates)
    for draft in drafts:
        if draft.outcome == "approved":
            key = (round_.year, draft.employer.town)
            total, bio = result.approved_by_town.get(key, (0, 0))
            result.approved_by_town[key] = (total + 1, bio + draft.employer.is_biomedical)


def _application(rng, round_: Round, draft: Draft, line: Timeline, items, notice: Notice, actors: Actors):
    """The application row (unsaved) and its history: (event kwargs, review kwargs)."""
    person = draft.person
    created = at(rng, *line.filed)
    submitted = min(created + timedelta(days=rng.randint(0, 6), hours=rng.randint(0, 5)), _end(round_.deadline_date))
    town_officer = actors.town_officers.get(draft.employer.town)
    steps = [_step("create", "", S.DRAFT, created)]
    reviews = []
    row = TalentApplication(
        round_id=round_.pk,
        level_id=draft.level.pk,
        talent_type=draft.talent_type,
        route=draft.route,
        position=draft.position,
        employer_id=draft.employer.pk,
        name=person.name,
        gender=person.gender,
        id_number=person.id_number,
        id_digest=id_digest(person.id_number),
        phone=person.phone,
        birth_date=person.birth_date,
        education=person.education,
        career=person.career,
        achievements=person.achievements,
        titles=draft.titles,
        is_founder=draft.is_founder,
        contract_start_date=draft.contract[0],
        contract_end_date=draft.contract[1],
        social_insurance_months=draft.social_insurance_months,
        tax_record_months=draft.tax_record_months,
        eligibility="eligible",
        created_at=created,
    )
    outcome = draft.outcome
    if outcome == "withdrawn_early":
        withdrawn = created + timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 6))
        steps.append(_step("withdraw", S.DRAFT, S.WITHDRAWN, withdrawn, comment=rng.choice(WITHDRAW)))
        return _finish(row, S.WITHDRAWN, steps), (steps, reviews)
    row.submitted_at = submitted
    steps.append(_step("submit", S.DRAFT, S.SUBMITTED, submitted))
    town_at = at(rng, *line.town)
    if outcome == "withdrawn":
        withdrawn = submitted + timedelta(days=rng.randint(1, 8))
        steps.append(_step("withdraw", S.SUBMITTED, S.WITHDRAWN, withdrawn, comment=rng.choice(WITHDRAW)))
        return _finish(row, S.WITHDRAWN, steps), (steps, reviews)
    row.town_reviewed_at, row.town_reviewed_by_id = town_at, town_officer.pk if town_officer else None
    if outcome == "town_rejected":
        row.town_comment = rng.choice(TOWN_REJECT)
        steps.append(_step("town_reject", S.SUBMITTED, S.REJECTED, town_at, town_officer, row.town_comment))
        return _finish(row, S.REJECTED, steps), (steps, reviews)
    row.town_comment = TOWN_APPROVE
    steps.append(_step("town_approve", S.SUBMITTED, S.DISTRICT_REVIEW, town_at, town_officer, TOWN_APPROVE))
    quality = _quality(rng, draft, draft.rank)
    totals, last = [], None
    reviewers = rng.sample(actors.panel, 2)
    for i, reviewer in enumerate(reviewers):
        scores, total = _scores(rng, items, quality + (rng.gauss(0, 0.03) if i else 0))
        done = at(rng, *line.scored)
        last = done if last is None else max(last, done)
        totals.append(total)
        assigned = datetime.combine(line.assigned, time(10), tzinfo=TZ) + timedelta(minutes=rng.randint(0, 300))
        reviews.append(
            {
                "reviewer_id": reviewer.pk,
                "status": ReviewAssignment.Status.SUBMITTED,
                "scores": scores,
                "total": total,
                "assigned_at": assigned,
                "assigned_by_id": actors.district.pk,
                "submitted_at": done,
            }
        )
    row.score = (sum(totals) / len(totals)).quantize(Decimal("0.01"))
    steps.append(_step("scored", S.DISTRICT_REVIEW, S.DISTRICT_REVIEW, last, reviewers[-1], str(row.score)))
    decided = datetime.combine(line.decided, time(10), tzinfo=TZ) + timedelta(minutes=rng.randint(0, 240))
    row.decided_at, row.decided_by_id = decided, actors.district.pk
    if outcome == "district_rejected":
        row.district_comment = rng.choice(DISTRICT_REJECT)
        rejected = datetime.combine(line.notice_start - timedelta(days=7), time(15), tzinfo=TZ)
        row.decided_at = rejected
        steps.append(_step("reject", S.DISTRICT_REVIEW, S.REJECTED, rejected, actors.district, row.district_comment))
        return _finish(row, S.REJECTED, steps), (steps, reviews)
    row.notice_id = notice.pk
    steps.append(_step("notice", S.DISTRICT_REVIEW, S.NOTICE, notice.published_at, actors.district, notice.title))
    if outcome == "notice_rejected":
        row.district_comment = NOTICE_REJECT
        steps.append(_step("reject", S.NOTICE, S.REJECTED, decided, actors.district, NOTICE_REJECT))
        return _finish(row, S.REJECTED, steps), (steps, reviews)
    steps.append(_step("approve", S.NOTICE, S.APPROVED, decided, actors.district))
    return _finish(row, S.APPROVED, steps), (steps, reviews)


def _end(day: date) -> datetime:
    return datetime.combine(day, time(17, 30), tzinfo=TZ)


def _step(action, from_status, to_status, when, actor=None, comment="") -> dict:
    return {
        "action": action,
        "from_status": from_status,
        "to_status": to_status,
        "comment": comment,
        "actor_id": actor.pk if actor else None,
        "created_at": when,
    }


def _finish(row: TalentApplication, status: str, steps: list[dict]) -> TalentApplication:
    row.status = status
    row.updated_at = steps[-1]["created_at"]
    return row


def key_terms(*, seed: int, years: tuple[int, ...], created: dict[int, datetime]) -> int:
    """Programme terms beside the registry's key-enterprise designations (some quotas, some authorised)."""
    rng = random.Random(f"{seed}:talent:key-terms")
    done = set(KeyEnterprise.objects.filter(year__in=years).values_list("certification_id", flat=True))
    certifications = (
        Certification.objects.filter(type__code=KEY_ENTERPRISE_TYPE, year__in=years)
        .exclude(pk__in=done)
        .values_list("pk", "enterprise_id", "year", "enterprise__is_biomedical")
        .order_by("year", "enterprise__uscc")
    )
    live = {}
    for year, employer_id in TalentApplication.objects.filter(
        round__year__in=years, status__in=[S.APPROVED, S.NOTICE, S.DISTRICT_REVIEW, S.SUBMITTED]
    ).values_list("round__year", "employer_id"):
        live[year, employer_id] = live.get((year, employer_id), 0) + 1
    rows = []
    for pk, enterprise_id, year, biomedical in certifications:
        quota = None
        if rng.random() < 0.35:
            quota = live.get((year, enterprise_id), 0) + rng.randint(1, 3)
        can_certify = rng.random() < (0.25 if biomedical else 0.12)
        rows.append(
            KeyEnterprise(
                certification_id=pk,
                enterprise_id=enterprise_id,
                year=year,
                quota=quota,
                can_certify_staff=can_certify,
                created_at=created.get(year, IMPORTED_AT),
            )
        )
    KeyEnterprise.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
