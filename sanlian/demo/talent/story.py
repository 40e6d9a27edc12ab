"""The live part of the talent demo, told through the real services so every role has something to do.

The 2025 round's second batch runs in the weeks before the load date (like the policy demo's calls,
the round is kept open around that date: its deadline is moved on, as an officer would, when the load
date is past it). When the demo is loaded:

- talent_demo has a draft application; talent (林一鸣) has sent one to the showcase enterprise, which
  ent_admin / ent_staff are to confirm and submit;
- pj_officer has an application to pre-review (xz_officer one in 莘庄镇);
- mh_officer has one to assign to reviewers; mh_reviewer a pending review (mh_officer has scored);
- one application is on a public notice that runs from the load date;
- benefits of recognised talents wait to be granted or paid (and some are paid or refused).

Steps whose audit entry would record row ids (the reviewer assignments and the notice) are written as
rows with the inbox message the service would send, so two loads of the demo stay identical.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext_lazy

from sanlian.core.i18n import Text
from sanlian.core.models import Role, User
from sanlian.core.services import notification_send
from sanlian.demo.generator import TZ
from sanlian.demo.policies import _applicant as enterprise_hr
from sanlian.demo.policies import demo_pdf
from sanlian.engines.rules import load_yaml
from sanlian.enterprises.models import Enterprise
from sanlian.talent.models import ApplicationEvent, Benefit, Notice, ReviewAssignment, Round, TalentApplication
from sanlian.talent.services import applications as flow
from sanlian.talent.services.benefits import benefit_request, benefit_transition
from sanlian.talent.services.reviews import review_submit
from sanlian.talent.services.rounds import round_save

from .people import PeopleBook

S = TalentApplication.Status
# The second batch is filed from this many days before the load date; the deadline then lies ahead.
STORY_DAYS = 31
DEADLINE_AHEAD_DAYS = 60
EARLIEST_STORY_DAY = date(2025, 5, 12)  # the 2025 round opened on 1 April 2025
ACCOUNT_GENDERS = {"talent": "male", "talent_demo": "female"}


@dataclass
class StoryResult:
    applications: int = 0
    benefits: int = 0
    extended: bool = False


class Clock:
    """Story times: `days` before the story day, at a wall-clock time (Shanghai)."""

    def __init__(self, day: date):
        self.day = day

    def __call__(self, days: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(self.day - timedelta(days=days), time(hour, minute), tzinfo=TZ)


def _years_after(day: date, years: int) -> date:
    return day.replace(year=day.year + years, day=min(day.day, 28))


class Teller:
    def __init__(self, *, users: dict, rounds: dict[int, Round], today: date, seed: int, people: PeopleBook):
        self.users = users
        self.rounds = rounds
        self.today = max(today, EARLIEST_STORY_DAY)
        self.at = Clock(self.today)
        self.rng = random.Random(f"{seed}:talent:story")
        self.people = PeopleBook(self.rng)
        self.people.ids, self.people.phones = people.ids, people.phones  # nobody twice
        self.result = StoryResult()

    # The round ----------------------------------------------------------------------------------

    def keep_round_open(self, document_text: str) -> Round:
        """Move the 2025 deadline past the story, with a note, when the load date is past it."""
        round_ = self.rounds[2025]
        deadline = self.today + timedelta(days=DEADLINE_AHEAD_DAYS)
        if round_.deadline_date >= deadline:
            return round_
        document = load_yaml(document_text)
        document["deadline_date"] = deadline
        document["description"] = (
            f"{document.get('description', '')}\n"
            f"(演示:2025年度第二批申报截止日期顺延至{deadline.isoformat()};首批已于2025年9月完成认定。)"
        )
        round_ = round_save(
            actor=self.users["mh_officer"], document=document, region=round_.region, now=self.at(STORY_DAYS, 10)
        )
        self.rounds[2025] = round_
        self.result.extended = True
        return round_

    # Applications -------------------------------------------------------------------------------

    def _data(self, *, level_code: str, employer: Enterprise, account=None, complete: bool = True) -> dict:
        """The form as the talent or HR fills it; for a demo account, its own name and gender."""
        round_ = self.rounds[2025]
        ref = round_.age_reference_date
        young = level_code == "E"
        first, last = (ref.year - 33, ref.year - 27) if young else (ref.year - 52, ref.year - 34)
        gender = ACCOUNT_GENDERS.get(account.username) if account else None
        person = self.people.person(born_after=date(first, 1, 1), born_before=date(last, 12, 31), gender=gender)
        degree = "master" if young else "doctor"
        since = self.today - timedelta(days=self.rng.randint(400, 1500))
        self.people.background(
            person,
            biomedical=employer.is_biomedical,
            degree=degree,
            title="研发总监",
            employer=employer.name,
            since=since,
        )
        data = {
            "name": account.display_name if account else person.name,
            "id_number": person.id_number,
            "phone": person.phone,
            "education": person.education,
            "career": person.career,
        }
        if complete:
            data |= {
                "route": "conditions",
                "achievements": person.achievements,
                "contract_start_date": since,
                "contract_end_date": _years_after(since, 5) - timedelta(days=1),
                "social_insurance_months": self.rng.randint(14, 60),
                "is_founder": False,
            }
        return data

    def _materials(self, actor, application, when: datetime) -> None:
        for i, material in enumerate(self.rounds[2025].materials):
            if material.get("founders_only"):
                continue
            item = material["key"]
            upload = SimpleUploadedFile(f"{item}.pdf", demo_pdf(item), content_type="application/pdf")
            flow.application_material_add(
                actor=actor, application=application, item=item, upload=upload, now=when + timedelta(minutes=i)
            )

    def _filed(self, *, actor, employer, level_code: str, started: datetime):
        round_ = self.rounds[2025]
        level = round_.levels.get(code=level_code)
        talent = actor.role == Role.TALENT
        kwargs = {"employer": employer} if talent else {}
        application = flow.application_start(actor=actor, round_=round_, level=level, now=started, **kwargs)
        data = self._data(level_code=level_code, employer=employer, account=actor if talent else None)
        application = flow.application_save(
            actor=actor, application=application, data=data, now=started + timedelta(minutes=25)
        )
        self._materials(actor, application, started + timedelta(minutes=40))
        self.result.applications += 1
        return application

    def _submitted(self, employer: Enterprise, level_code: str, started_days: int):
        hr = enterprise_hr(employer)
        application = self._filed(
            actor=hr, employer=employer, level_code=level_code, started=self.at(started_days, 9, 30)
        )
        return flow.application_transition(
            actor=hr,
            application=application,
            action="submit",
            expected_status=S.DRAFT,
            now=self.at(started_days - 1, 14),
        )

    def _town_approved(self, application, days: int):
        return flow.application_transition(
            actor=self.users["pj_officer"],
            application=application,
            action="town_approve",
            comment="材料齐全,符合申报条件,同意推荐。",
            expected_status=S.SUBMITTED,
            now=self.at(days, 10),
        )

    def _assign(self, application, reviewers: list, days: int) -> list[ReviewAssignment]:
        """What `review_assign` does for each reviewer: the row and the reviewer's inbox message."""
        district = self.users["mh_officer"]
        assignments = []
        for i, reviewer in enumerate(reviewers):
            when = self.at(days, 9, i)
            assignment = ReviewAssignment.objects.create(
                application=application, reviewer=reviewer, assigned_at=when, assigned_by=district
            )
            if reviewer.pk != district.pk:
                notification_send(
                    recipients=[reviewer],
                    title=gettext_lazy("新的人才评审任务"),
                    url=reverse("talent:review", kwargs={"pk": assignment.pk}),
                    now=when,
                )
            assignments.append(assignment)
        return assignments

    def _score(self, assignment: ReviewAssignment, days: int, quality: float):
        items = assignment.application.round.scoring_items.all()
        scores = {i.code: str(Decimal(round(i.max_score * quality * 2)) / 2) for i in items}
        return review_submit(
            actor=assignment.reviewer,
            assignment=assignment,
            scores=scores,
            comment="业绩突出,与浦江镇生物医药产业方向契合。",
            now=self.at(days, 16),
        )

    def _on_notice(self, application) -> Notice:
        """What `notice_publish` does: the notice (published the evening before the load date), the step and
        the messages."""
        round_ = self.rounds[2025]
        district = self.users["mh_officer"]
        published = self.at(1, 17)
        start = self.today
        notice = Notice.objects.create(
            round=round_,
            title=f"{round_.name}(第二批)拟认定人选公示",
            start_date=start,
            end_date=start + timedelta(days=round_.notice_days - 1),
            published_at=published,
            published_by=district,
        )
        TalentApplication.objects.filter(pk=application.pk).update(status=S.NOTICE, notice=notice, updated_at=published)
        ApplicationEvent.objects.create(
            application=application,
            action="notice",
            from_status=S.DISTRICT_REVIEW,
            to_status=S.NOTICE,
            comment=notice.title,
            actor=district,
            created_at=published,
        )
        notification_send(
            recipients=list(User.objects.filter(enterprise_id=application.employer_id, is_active=True).order_by("pk")),
            title=Text(gettext_lazy("人才申报进入公示:%(name)s"), {"name": application.name}),
            body=Text(
                gettext_lazy("公示期 %(start)s 至 %(end)s。"), {"start": notice.start_date, "end": notice.end_date}
            ),
            url=reverse("talent:application", kwargs={"pk": application.pk}),
            now=published,
        )
        return notice

    def applications(self) -> None:
        users = self.users
        showcase = users["ent_admin"].enterprise
        firms = list(
            Enterprise.objects.filter(
                is_demo=True, town__code="pujiang", is_biomedical=True, founded_date__year__lte=2022
            )
            .exclude(pk=showcase.pk)
            .order_by("uscc")
        )
        picked = self.rng.sample(firms, min(4, len(firms)))
        prereview, assign, review, notice = (picked + [showcase] * 4)[:4]

        # 林一鸣 applies at the showcase enterprise and sends it to the employer to confirm.
        talent = users["talent"]
        mine = self._filed(actor=talent, employer=showcase, level_code="C2", started=self.at(12, 20, 10))
        flow.application_transition(
            actor=talent, application=mine, action="send_to_employer", expected_status=S.DRAFT, now=self.at(10, 21, 15)
        )
        # 宋雨桐 has started hers: personal details and education so far.
        talent_demo = users["talent_demo"]
        round_ = self.rounds[2025]
        draft = flow.application_start(
            actor=talent_demo,
            round_=round_,
            level=round_.levels.get(code="E"),
            employer=showcase,
            now=self.at(3, 19, 30),
        )
        data = self._data(level_code="E", employer=showcase, account=talent_demo, complete=False)
        flow.application_save(actor=talent_demo, application=draft, data=data, now=self.at(3, 19, 55))
        self.result.applications += 1

        # Waiting for the towns' pre-review.
        self._submitted(prereview, "C1", 9)
        xinzhuang = Enterprise.objects.filter(is_demo=True, town__code="xinzhuang").order_by("uscc").first()
        if xinzhuang is not None and "xz_officer" in users:
            self._submitted(xinzhuang, "D", 7)

        # In district review: one still to be assigned, one with mh_reviewer's review pending.
        waiting = self._submitted(assign, "B2", 16)
        self._town_approved(waiting, 5)
        pending = self._town_approved(self._submitted(review, "C1", 24), 20)
        reviews = self._assign(pending, [users["mh_officer"], users["mh_reviewer"]], 18)
        self._score(reviews[0], 14, 0.86)

        # Scored by both reviewers and published for public notice.
        noticed = self._town_approved(self._submitted(notice, "B2", 28), 25)
        for i, assignment in enumerate(self._assign(noticed, [users["mh_officer"], users["mh_reviewer"]], 22)):
            self._score(assignment, 16 - 4 * i, 0.9 - 0.03 * i)
        self._on_notice(noticed)

    # Benefits -----------------------------------------------------------------------------------

    def benefits(self) -> None:
        officer = self.users["pj_officer"]
        approved = TalentApplication.objects.filter(status=S.APPROVED, employer__town__code="pujiang").select_related(
            "employer", "level"
        )
        level_a = list(approved.filter(round__year=2025, level__code="A").order_by("pk")[:2])
        distinguished = approved.filter(round__year=2023, level__code="distinguished").order_by("pk").first()
        elite = approved.filter(round__year=2023, level__code="elite").order_by("pk").first()

        def at(*parts) -> datetime:
            return datetime(*parts, tzinfo=TZ)

        def request(application, kind, when, amount=None):
            self.result.benefits += 1
            return benefit_request(
                actor=enterprise_hr(application.employer), application=application, kind=kind, amount=amount, now=when
            )

        def decide(benefit, action, when, **kwargs):
            return benefit_transition(actor=officer, benefit=benefit, action=action, now=when, **kwargs)

        if level_a:
            first = level_a[0]
            housing = request(first, Benefit.Kind.HOUSING_PURCHASE, at(2025, 10, 13, 10), "3000000")
            decide(housing, "grant", at(2025, 10, 27, 15))
            decide(housing, "pay", at(2025, 11, 20, 16), paid_date=date(2025, 11, 20))
            rent = request(first, Benefit.Kind.RENT, at(2025, 11, 3, 9, 40), "20000")
            decide(rent, "reject", at(2025, 11, 10, 11), note="已享受购房补贴,不能同时享受租房补贴。")
        if len(level_a) > 1:
            second = level_a[1]
            rent = request(second, Benefit.Kind.RENT, at(2025, 10, 20, 14), "20000")
            decide(rent, "grant", at(2025, 11, 4, 10))
            request(second, Benefit.Kind.SCHOOLING, at(2025, 11, 18, 9, 15))
        if distinguished is not None:
            schooling = request(distinguished, Benefit.Kind.SCHOOLING, at(2024, 3, 4, 10))
            decide(schooling, "grant", at(2024, 3, 18, 15))
            decide(schooling, "pay", at(2024, 9, 2, 10), paid_date=date(2024, 9, 1), note="已安排秋季入学。")
        if elite is not None:
            medical = request(elite, Benefit.Kind.MEDICAL, at(2024, 4, 8, 10))
            decide(medical, "grant", at(2024, 4, 15, 11))


def tell(*, users: dict, rounds: dict[int, Round], today: date, seed: int, people: PeopleBook, document: str):
    teller = Teller(users=users, rounds=rounds, today=today, seed=seed, people=people)
    teller.keep_round_open(document)
    teller.applications()
    teller.benefits()
    return teller.result
