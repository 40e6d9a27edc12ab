"""The talent part of the demo: FACTS.md from records, the rounds, and something to do for every role.

The full demo is loaded once for the module on a fixed demo date, inside a transaction that is rolled
back at the end (so nothing is left behind and no after-commit job runs).
"""

import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings
from django.utils import timezone
from stdnum.cn import ric

from sanlian.core.models import User
from sanlian.dashboard.selectors import stats
from sanlian.demo.services import demo_load
from sanlian.enterprises.models import Certification, Region
from sanlian.policies import rules
from sanlian.talent import ambassador_selectors, certificate_selectors, selectors
from sanlian.talent.models import (
    Ambassador,
    ApplicationEvent,
    Benefit,
    Certificate,
    KeyEnterprise,
    Lead,
    Notice,
    ReviewAssignment,
    Round,
    TalentApplication,
)
from sanlian.talent.services import applications as flow
from sanlian.talent.services.applications import LIVE, id_digest
from sanlian.talent.services.reviews import review_submit

pytestmark = pytest.mark.django_db

DEMO_DAY = date(2026, 6, 15)
DEMO_NOW = datetime(2026, 6, 15, 10, 0, tzinfo=timezone.get_default_timezone())
S = TalentApplication.Status


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    traveller = time_machine.travel(DEMO_NOW, tick=False)
    traveller.start()
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            result = demo_load()
            yield result
            transaction.set_rollback(True)
    finally:
        media.disable()
        traveller.stop()
        rules._COMPILED.clear()  # rolled-back ids are handed out again


def user(username: str) -> User:
    return User.objects.get(username=username)


def certified(year: int, town: str = "pujiang"):
    return TalentApplication.objects.filter(round__year=year, status=S.APPROVED, employer__town__code=town)


# FACTS.md from records ---------------------------------------------------------------------------------


def test_pujiang_2023_has_496_approved_applications_of_which_117_have_a_biomedical_employer(demo):
    talents = certified(2023)
    assert talents.count() == 496
    assert talents.filter(employer__is_biomedical=True).count() == 117
    assert demo.talent.figures(2023) == (496, 117)


def test_the_cockpit_figures_say_the_same_and_the_key_enterprises_are_untouched(demo):
    figures = stats(Region.objects.get(code="pujiang"), 2023)
    assert (figures["talents"], figures["talents_biomedical"]) == (496, 117)
    assert (figures["key_enterprises"], figures["key_enterprises_biomedical"]) == (154, 47)
    assert not Certification.objects.filter(type__code="chunshen-key", year=2025).exists()


def test_every_certified_talent_has_its_history_its_scores_its_notice_and_its_certificate(demo):
    talents = certified(2023).annotate(
        steps=Count("events", distinct=True),
        scored=Count("reviews", filter=Q(reviews__status="submitted"), distinct=True),
    )
    assert {t.steps for t in talents} == {6} and {t.scored for t in talents} == {2}
    last_steps = ApplicationEvent.objects.filter(application__in=talents, action="approve", to_status=S.APPROVED)
    assert last_steps.count() == 496
    notice = Notice.objects.get(round__year=2023)
    assert set(talents.values_list("notice", flat=True)) == {notice.pk}
    assert Certificate.objects.filter(application__in=talents).count() == 496
    assert all(t.score and t.decided_at.date() > notice.end_date for t in talents)


def test_levels_are_few_at_the_top_and_types_and_employers_are_spread(demo):
    by_level = dict(certified(2023).values_list("level__code").annotate(n=Count("id")))
    assert by_level["excellent"] < by_level["distinguished"] < min(by_level["elite"], by_level["young"])
    by_type = dict(certified(2023).values_list("talent_type").annotate(n=Count("id")))
    assert set(by_type) == {"academic", "technical", "management"}
    assert certified(2023).values("employer").distinct().count() > 150


def test_no_employer_holds_more_than_one_company_head_or_manager_per_round(demo):
    crowded = (
        TalentApplication.objects.filter(status__in=LIVE, position__in=["company_head", "manager"])
        .values("round", "employer", "position")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not crowded.exists()


def test_other_towns_and_the_2024_and_2025_rounds_have_talents_and_a_tail_of_refusals(demo):
    assert certified(2023, "xinzhuang-industrial").exists() and certified(2024, "maqiao").exists()
    assert certified(2024).count() == 528 and certified(2025).count() == 341
    for year in (2023, 2024, 2025):
        statuses = set(TalentApplication.objects.filter(round__year=year).values_list("status", flat=True))
        assert {S.APPROVED, S.REJECTED, S.WITHDRAWN} <= statuses, year
        assert Notice.objects.filter(round__year=year).exists()


def test_every_id_number_is_valid_and_agrees_with_birth_date_gender_and_digest(demo):
    rows = TalentApplication.objects.exclude(id_number=None)
    assert rows.count() > 2000
    for row in rows:
        assert ric.is_valid(row.id_number), row.id_number
        assert ric.get_birth_date(row.id_number) == row.birth_date
        assert (int(row.id_number[16]) % 2 == 1) == (row.gender == "male")
        assert row.id_digest == id_digest(row.id_number)
        assert re.fullmatch(r"1[3-9]\d{9}", row.phone)
    assert rows.values("round", "id_digest").annotate(n=Count("id")).filter(n__gt=1).count() == 0


def test_young_talents_are_under_35_on_the_rounds_reference_date(demo):
    for row in TalentApplication.objects.filter(level__code__in=["young", "E"]).select_related("round"):
        reference = row.round.age_reference_date
        assert row.birth_date > reference.replace(year=reference.year - 35), row.pk


def test_certificates_are_numbered_per_year_with_short_unique_tokens(demo):
    numbers = list(Certificate.objects.filter(application__round__year=2024).values_list("number", flat=True))
    assert sorted(numbers)[0] == "CS2024-00001" and all(re.fullmatch(r"CS2024-\d{5}", n) for n in numbers)
    tokens = list(Certificate.objects.values_list("token", flat=True))
    assert len(set(tokens)) == len(tokens) and max(map(len, tokens)) <= 32


def test_the_2023_key_enterprises_have_programme_terms_with_quotas_that_hold(demo):
    terms = KeyEnterprise.objects.filter(year=2023)
    assert terms.count() == Certification.objects.filter(type__code="chunshen-key", year=2023).count()
    assert terms.filter(can_certify_staff=True).exists() and terms.exclude(quota=None).exists()
    for term in terms.exclude(quota=None):
        live = TalentApplication.objects.filter(round__year=2023, employer=term.enterprise_id, status__in=LIVE)
        assert live.count() <= term.quota


# Rounds ------------------------------------------------------------------------------------------------


def test_the_three_rounds_are_configured_through_round_save_and_2025_is_open_around_the_demo_day(demo):
    rounds = {r.year: r for r in Round.objects.all()}
    assert set(rounds) == {2023, 2024, 2025}
    assert (rounds[2023].status, rounds[2024].status, rounds[2025].status) == ("closed", "closed", "open")
    assert rounds[2024].levels.count() == 4 and rounds[2025].levels.count() == 7
    assert rounds[2024].age_reference_date == date(2023, 12, 31)
    assert rounds[2025].open_date <= DEMO_DAY < rounds[2025].deadline_date
    assert "顺延" in rounds[2025].description and demo.talent.deadline_extended


# Every role has something to do ----------------------------------------------------------------------


def test_talent_demo_has_a_draft_2025_application(demo):
    mine = selectors.my_applications(user("talent_demo"))
    assert [(a.round.year, a.status, a.name) for a in mine] == [(2025, S.DRAFT, "宋雨桐")]


def test_the_enterprise_has_an_application_to_confirm_and_can_submit_it(demo):
    admin = user("ent_admin")
    waiting = [a for a in selectors.my_applications(admin) if a.status == S.EMPLOYER_REVIEW]
    assert [(a.name, a.applicant.username) for a in waiting] == [("林一鸣", "talent")]
    submitted = flow.application_transition(actor=admin, application=waiting[0], action="submit")
    assert submitted.status == S.SUBMITTED


def test_the_town_officers_have_applications_to_pre_review(demo):
    pujiang = selectors.officer_queue(user("pj_officer"))
    assert [a.status for a in pujiang] == [S.SUBMITTED]
    assert selectors.officer_queue(user("xz_officer")).filter(employer__town__code="xinzhuang").exists()
    moved = flow.application_transition(
        actor=user("pj_officer"), application=pujiang[0], action="town_approve", comment="同意推荐"
    )
    assert moved.status == S.DISTRICT_REVIEW


def test_the_district_has_one_to_assign_one_under_review_and_one_on_a_running_notice(demo):
    queue = selectors.officer_queue(user("mh_officer"))
    in_review = [a for a in queue if a.status == S.DISTRICT_REVIEW]
    assert sorted(a.reviews.count() for a in in_review) == [0, 2]
    on_notice = [a for a in queue if a.status == S.NOTICE]
    assert len(on_notice) == 1
    notice = on_notice[0].notice
    assert notice.start_date <= DEMO_DAY <= notice.end_date


def test_mh_reviewer_has_a_pending_review_and_can_score_it(demo):
    reviewer = user("mh_reviewer")
    pending = [r for r in selectors.assignments_of(reviewer) if r.status == ReviewAssignment.Status.PENDING]
    assert len(pending) == 1
    scores = {"achievements": "34", "innovation": "25.5", "potential": "16", "fit": "9"}
    done = review_submit(actor=reviewer, assignment=pending[0], scores=scores)
    done.application.refresh_from_db()
    assert done.application.score is not None  # both reviewers have scored now


def test_benefits_wait_to_be_granted_or_paid_and_some_are_done(demo):
    benefits = certificate_selectors.benefits_for_officer(user("pj_officer"))
    assert set(benefits.values_list("status", flat=True)) == {"requested", "granted", "paid", "rejected"}
    housing = benefits.get(kind=Benefit.Kind.HOUSING_PURCHASE)
    assert housing.application.level.code == "A" and housing.amount_paid == housing.amount_granted > 0


def test_the_first_ambassadors_were_appointed_on_2024_05_20_and_bring_25_leads(demo):
    ambassadors = Ambassador.objects.filter(town__code="pujiang")
    assert ambassadors.count() == 4 and set(ambassadors.values_list("appointed_date", flat=True)) == {date(2024, 5, 20)}
    leads = Lead.objects.filter(ambassador__in=ambassadors)
    assert leads.count() == 25
    statuses = dict(leads.values_list("status").annotate(n=Count("id")))
    assert set(statuses) == {"lead", "contacted", "visited", "landed", "certified", "dropped"}
    assert leads.filter(status="landed", enterprise__is_demo=True).count() >= 2
    lead = leads.get(status="certified")
    assert lead.application.status == S.APPROVED and lead.application.employer_id == lead.enterprise_id
    assert lead.name == lead.application.name and lead.certified_at > lead.landed_at


def test_ambassador_demo_sees_their_own_leads(demo):
    account = user("ambassador_demo")
    ambassador = ambassador_selectors.ambassador_of(account)
    own = ambassador_selectors.leads_visible(user=account)
    assert ambassador is not None and own.count() == ambassador.leads.count() > 0
    assert set(own.values_list("ambassador", flat=True)) == {ambassador.pk}


def test_the_story_happened_in_the_weeks_before_the_demo_day(demo):
    live = TalentApplication.objects.filter(round__year=2025).exclude(status__in=[S.APPROVED, S.REJECTED, S.WITHDRAWN])
    assert live.count() == 7 == demo.talent.story_applications
    first = live.order_by("created_at").first().created_at
    assert DEMO_NOW - timedelta(days=40) < first < DEMO_NOW


def test_loading_again_writes_nothing(demo):
    before = (TalentApplication.objects.count(), Lead.objects.count(), Round.objects.count(), Benefit.objects.count())
    again = demo_load()
    assert not again.talent.changed
    assert (
        TalentApplication.objects.count(),
        Lead.objects.count(),
        Round.objects.count(),
        Benefit.objects.count(),
    ) == (before)
