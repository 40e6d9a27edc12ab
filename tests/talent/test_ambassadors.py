"""Global talent ambassadors: appointments, the letter, the referral pipeline, figures and pages."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanlian.core.models import AuditEvent, Notification, Role, User
from sanlian.talent import ambassador_selectors as selectors
from sanlian.talent.documents_letters import appointment_letter_pdf
from sanlian.talent.models import Ambassador, Lead
from sanlian.talent.services import ambassadors as services
from tests import factories
from tests.downloads import assert_safe_download

from .ambassador_helpers import (
    NOW,
    add_lead,
    application,
    appoint,
    appoint_with_login,
    appointment,
    at,
    move,
    other_role_user,
    pdf_text_contains,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ambassador(pujiang_officer):
    return appoint_with_login(pujiang_officer, "amb_chen")


@pytest.fixture
def other_ambassador(pujiang_officer):
    return appoint_with_login(pujiang_officer, "amb_li", name="李文涛", field="医疗器械", overseas_region="欧洲")


def snapshot(lead: Lead) -> tuple:
    lead = Lead.objects.get(pk=lead.pk)
    return (
        lead.status,
        lead.landing,
        lead.enterprise_id,
        lead.application_id,
        lead.landed_at,
        lead.certified_at,
        lead.events.count(),
        AuditEvent.objects.filter(target_type="talent.lead", target_id=str(lead.pk)).count(),
    )


def step(actor, lead, to_status, **extra):
    """One move of a lead, a day after the appointment."""
    return services.lead_transition(actor=actor, lead=lead, to_status=to_status, now=at(1), **extra)


def update(actor, ambassador, **data):
    return services.ambassador_update(actor=actor, ambassador=ambassador, data=data, now=at(1))


def refused(field: str, call) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    assert field in caught.value.message_dict, caught.value.message_dict
    return caught.value


# Appointments ----------------------------------------------------------------------------------------


class TestAppointment:
    def test_letter_numbers_count_up_within_the_year_of_the_appointment_and_restart_the_next_year(
        self, pujiang_officer, district_officer
    ):
        first = appoint(pujiang_officer)
        second = appoint(district_officer, "xinzhuang", name="李文涛")
        next_year = appoint(pujiang_officer, name="赵明", appointed_date=date(2025, 3, 1),
                            term_start_date=date(2025, 3, 1), term_end_date=date(2027, 2, 28))  # fmt: skip

        assert [first.letter_number, second.letter_number, next_year.letter_number] == [
            "YCDS-2024-001",
            "YCDS-2024-002",
            "YCDS-2025-001",
        ]

    def test_an_appointment_is_audited_with_its_letter_number(self, pujiang_officer):
        ambassador = appoint(pujiang_officer)

        event = AuditEvent.objects.get(action="ambassador.appoint")
        assert event.actor == pujiang_officer and event.target_id == str(ambassador.pk)
        assert event.changes["letter_number"] == [None, "YCDS-2024-001"]
        assert ambassador.user is None

    @pytest.mark.parametrize("end", [date(2024, 5, 20), date(2024, 5, 1)])
    def test_a_term_that_does_not_end_after_it_starts_is_refused_and_nothing_is_saved(self, pujiang_officer, end):
        refused("term_end_date", lambda: appoint(pujiang_officer, term_end_date=end, username="amb_x"))

        assert not Ambassador.objects.exists()
        assert not User.objects.filter(username="amb_x").exists()

    def test_a_town_officer_cannot_appoint_for_another_town(self, xinzhuang_officer):
        error = refused("town", lambda: appoint(xinzhuang_officer, "pujiang"))

        assert "管辖范围" in error.message_dict["town"][0]
        assert not Ambassador.objects.exists()

    def test_a_district_officer_appoints_for_any_town_of_the_district(self, district_officer):
        ambassador = appoint(district_officer, "pujiang")

        assert ambassador.town.code == "pujiang"

    def test_a_district_is_not_a_town_to_appoint_for(self, district_officer):
        refused("town", lambda: appoint(district_officer, "minhang"))

    def test_missing_fields_are_each_named(self, pujiang_officer):
        error = refused("name", lambda: appoint(pujiang_officer, name="", field="  "))

        assert "field" in error.message_dict

    def test_an_enterprise_user_may_not_appoint(self, enterprise_admin):
        with pytest.raises(PermissionDenied):
            appoint(enterprise_admin)

    def test_a_username_creates_an_ambassador_login_with_no_usable_password(self, pujiang_officer):
        ambassador = appoint_with_login(pujiang_officer, "amb_chen")

        user = ambassador.user
        assert user.username == "amb_chen" and user.role == Role.AMBASSADOR and user.display_name == "陈嘉怡"
        assert not user.has_usable_password()
        assert Notification.objects.filter(recipient=user, title__contains="YCDS-2024-001").exists()

    def test_a_given_password_is_stored_hashed(self, pujiang_officer):
        ambassador = appoint(pujiang_officer, username="amb_chen", password="Pujiang-2024-talent")

        assert ambassador.user.check_password("Pujiang-2024-talent")
        assert "Pujiang-2024-talent" not in ambassador.user.password

    def test_a_username_of_another_role_is_refused_and_nothing_is_saved(self, pujiang_officer):
        other_role_user("taken")

        refused("username", lambda: appoint(pujiang_officer, username="taken"))

        assert not Ambassador.objects.exists()
        assert User.objects.get(username="taken").role == Role.TALENT

    def test_an_existing_ambassador_login_without_a_profile_is_linked(self, pujiang_officer):
        login = factories.UserFactory(username="amb_old", role=Role.AMBASSADOR)

        ambassador = appoint(pujiang_officer, username="amb_old")

        assert ambassador.user == login

    def test_a_login_already_linked_to_an_ambassador_is_refused(self, pujiang_officer, ambassador):
        refused("username", lambda: appoint(pujiang_officer, name="李文涛", username="amb_chen"))

        assert Ambassador.objects.count() == 1

    def test_unknown_fields_are_refused(self, pujiang_officer):
        refused("letter_number", lambda: services.ambassador_appoint(
            actor=pujiang_officer, data={**appointment(), "letter_number": "X-1"}, now=NOW))  # fmt: skip


class TestUpdate:
    def test_an_officer_extends_the_term_and_the_change_is_audited(self, pujiang_officer, ambassador):
        update(pujiang_officer, ambassador, term_end_date=date(2027, 5, 19))

        ambassador.refresh_from_db()
        assert ambassador.term_end_date == date(2027, 5, 19)
        event = AuditEvent.objects.get(action="ambassador.update")
        assert event.changes == {"term_end_date": ["2026-05-19", "2027-05-19"]}

    def test_the_appointment_date_does_not_change(self, pujiang_officer, ambassador):
        refused("appointed_date", lambda: update(pujiang_officer, ambassador, appointed_date=date(2025, 1, 1)))

    def test_a_term_made_to_end_before_it_starts_is_refused_and_nothing_changes(self, pujiang_officer, ambassador):
        refused("term_end_date", lambda: update(pujiang_officer, ambassador, term_end_date=date(2024, 1, 1)))

        ambassador.refresh_from_db()
        assert ambassador.term_end_date == date(2026, 5, 19)

    def test_an_officer_of_another_town_may_not_edit(self, xinzhuang_officer, ambassador):
        with pytest.raises(PermissionDenied):
            update(xinzhuang_officer, ambassador, field="x")


# The letter ------------------------------------------------------------------------------------------


class TestLetter:
    def test_the_letter_is_a_pdf_naming_the_ambassador_the_town_the_term_and_the_number(self, ambassador):
        content = appointment_letter_pdf(ambassador)

        assert content.startswith(b"%PDF")
        assert pdf_text_contains(content, "兹聘请 陈嘉怡 为浦江镇全球引才大使。")
        assert pdf_text_contains(content, "聘期自 2024年5月20日 至 2026年5月19日。")
        assert pdf_text_contains(content, "联络领域:基因治疗")
        assert pdf_text_contains(content, "聘书编号:YCDS-2024-001")
        assert pdf_text_contains(content, "浦江镇")


# Leads -----------------------------------------------------------------------------------------------


class TestLeadCreate:
    def test_an_ambassador_records_a_lead_with_its_first_event(self, ambassador):
        lead = add_lead(ambassador.user, ambassador)

        assert lead.status == Lead.Status.LEAD and lead.created_at == NOW
        assert list(lead.events.values_list("from_status", "to_status")) == [("", "lead")]
        assert AuditEvent.objects.filter(action="lead.create", target_id=str(lead.pk)).exists()

    def test_an_officer_in_scope_records_a_lead_for_an_ambassador(self, pujiang_officer, ambassador):
        lead = add_lead(pujiang_officer, ambassador)

        assert lead.ambassador == ambassador

    def test_an_ambassador_may_not_record_a_lead_for_another(self, ambassador, other_ambassador):
        with pytest.raises(PermissionDenied):
            add_lead(ambassador.user, other_ambassador)
        assert not Lead.objects.exists()

    def test_an_officer_of_another_town_may_not_record_a_lead(self, xinzhuang_officer, ambassador):
        with pytest.raises(PermissionDenied):
            add_lead(xinzhuang_officer, ambassador)

    def test_a_lead_needs_a_kind_and_a_name(self, ambassador):
        refused("kind", lambda: add_lead(ambassador.user, ambassador, kind="person"))
        refused("name", lambda: add_lead(ambassador.user, ambassador, name=" "))
        assert not Lead.objects.exists()

    def test_an_ambassador_whose_term_has_ended_can_no_longer_add_leads(self, ambassador):
        refused("ambassador", lambda: add_lead(ambassador.user, ambassador, now=at(1, year=2026)))


class TestLeadPipeline:
    def test_a_lead_walks_the_pipeline_to_certified_with_an_event_and_an_audit_for_every_move(
        self, ambassador, pujiang_enterprise, pujiang_officer, xinzhuang_officer
    ):
        lead = add_lead(ambassador.user, ambassador)
        approved = application(pujiang_enterprise)

        move(ambassador.user, lead, "contacted", "visited", now=at(1))
        move(ambassador.user, lead, "landed", now=at(2), enterprise=pujiang_enterprise)
        lead = move(pujiang_officer, lead, "certified", now=at(3), application=approved)

        assert lead.status == "certified" and lead.landing == "talent_hired"
        assert lead.enterprise == pujiang_enterprise and lead.application == approved
        assert lead.landed_at == at(2) and lead.certified_at == at(3)
        assert list(lead.events.values_list("from_status", "to_status")) == [
            ("", "lead"),
            ("lead", "contacted"),
            ("contacted", "visited"),
            ("visited", "landed"),
            ("landed", "certified"),
        ]
        actions = set(AuditEvent.objects.filter(target_type="talent.lead").values_list("action", flat=True))
        assert actions == {"lead.create", "lead.contacted", "lead.visited", "lead.landed", "lead.certified"}

    def test_the_towns_officers_hear_when_a_lead_lands_and_is_certified(
        self, ambassador, pujiang_enterprise, pujiang_officer, xinzhuang_officer
    ):
        lead = add_lead(ambassador.user, ambassador)
        move(ambassador.user, lead, "contacted", "visited")

        assert not Notification.objects.filter(recipient=pujiang_officer).exists()
        move(ambassador.user, lead, "landed", enterprise=pujiang_enterprise)
        move(ambassador.user, lead, "certified", application=application(pujiang_enterprise))

        titles = list(Notification.objects.filter(recipient=pujiang_officer).values_list("title", flat=True))
        assert len(titles) == 2
        assert any("已落地" in t and pujiang_enterprise.name in t for t in titles)
        assert any("已获人才认定" in t for t in titles)
        assert not Notification.objects.filter(recipient=xinzhuang_officer).exists()

    @pytest.mark.parametrize(
        ("walked", "to_status"),
        [
            ((), "visited"),
            ((), "landed"),
            ((), "certified"),
            (("contacted",), "landed"),
            (("contacted",), "contacted"),
            (("contacted", "visited"), "certified"),
            (("contacted", "visited"), "lead"),
        ],
    )
    def test_skipping_or_going_back_is_refused_and_nothing_changes(
        self, ambassador, pujiang_enterprise, walked, to_status
    ):
        lead = move(ambassador.user, add_lead(ambassador.user, ambassador), *walked)
        before = snapshot(lead)

        extra = {"landing": "talent_hired", "enterprise": pujiang_enterprise} if to_status == "landed" else {}
        refused("to_status", lambda: step(ambassador.user, lead, to_status, **extra))

        assert snapshot(lead) == before

    def test_an_unknown_status_is_refused(self, ambassador):
        lead = add_lead(ambassador.user, ambassador)

        refused("to_status", lambda: step(ambassador.user, lead, "won"))

    def test_landing_without_an_enterprise_is_refused_and_nothing_changes(self, ambassador):
        lead = move(ambassador.user, add_lead(ambassador.user, ambassador), "contacted", "visited")
        before = snapshot(lead)

        refused("enterprise", lambda: step(ambassador.user, lead, "landed", landing="talent_hired"))

        assert snapshot(lead) == before

    def test_landing_without_saying_how_is_refused(self, ambassador, pujiang_enterprise):
        lead = move(ambassador.user, add_lead(ambassador.user, ambassador), "contacted", "visited")

        refused("landing", lambda: step(ambassador.user, lead, "landed", enterprise=pujiang_enterprise))

        assert Lead.objects.get(pk=lead.pk).status == "visited"

    def test_a_firm_lead_lands_only_by_founding_a_firm(self, ambassador, pujiang_enterprise):
        lead = move(ambassador.user, add_lead(ambassador.user, ambassador, kind="firm", name="海外基因项目"),
                    "contacted", "visited")  # fmt: skip

        refused("landing", lambda: move(ambassador.user, lead, "landed", enterprise=pujiang_enterprise))
        lead = move(ambassador.user, lead, "landed", enterprise=pujiang_enterprise, landing="firm_founded")

        assert lead.status == "landed" and lead.landing == "firm_founded"

    def test_an_enterprise_outside_a_landing_is_refused(self, ambassador, pujiang_enterprise):
        lead = add_lead(ambassador.user, ambassador)

        refused("enterprise", lambda: step(ambassador.user, lead, "contacted", enterprise=pujiang_enterprise))

    def test_certifying_without_an_application_is_refused_and_nothing_changes(self, ambassador, pujiang_enterprise):
        lead = move(ambassador.user, add_lead(ambassador.user, ambassador), "contacted", "visited", "landed",
                    enterprise=pujiang_enterprise)  # fmt: skip
        before = snapshot(lead)

        refused("application", lambda: move(ambassador.user, lead, "certified", application=None))

        assert snapshot(lead) == before

    @pytest.mark.parametrize("status", ["notice", "district_review", "rejected", "withdrawn"])
    def test_certifying_with_an_application_not_yet_approved_is_refused(self, ambassador, pujiang_enterprise, status):
        lead = move(ambassador.user, add_lead(ambassador.user, ambassador), "contacted", "visited", "landed",
                    enterprise=pujiang_enterprise)  # fmt: skip
        before = snapshot(lead)

        pending = application(pujiang_enterprise, status=status)
        error = refused("application", lambda: move(ambassador.user, lead, "certified", application=pending))

        assert "尚未获得认定" in error.message_dict["application"][0]
        assert snapshot(lead) == before

    def test_certifying_with_an_application_of_another_employer_is_refused(
        self, ambassador, pujiang_enterprise, xinzhuang_enterprise
    ):
        lead = move(ambassador.user, add_lead(ambassador.user, ambassador), "contacted", "visited", "landed",
                    enterprise=pujiang_enterprise)  # fmt: skip

        elsewhere = application(xinzhuang_enterprise)
        error = refused("application", lambda: move(ambassador.user, lead, "certified", application=elsewhere))

        assert "用人单位" in error.message_dict["application"][0]
        assert Lead.objects.get(pk=lead.pk).status == "landed"

    def test_one_application_counts_for_one_lead_only(self, ambassador, other_ambassador, pujiang_enterprise):
        approved = application(pujiang_enterprise)
        first = move(ambassador.user, add_lead(ambassador.user, ambassador), "contacted", "visited", "landed",
                     enterprise=pujiang_enterprise)  # fmt: skip
        second = move(other_ambassador.user, add_lead(other_ambassador.user, other_ambassador), "contacted",
                      "visited", "landed", enterprise=pujiang_enterprise)  # fmt: skip
        move(ambassador.user, first, "certified", application=approved)

        refused("application", lambda: move(other_ambassador.user, second, "certified", application=approved))

    @pytest.mark.parametrize("walked", [(), ("contacted",), ("contacted", "visited")])
    def test_a_lead_may_be_dropped_before_it_lands_with_a_reason(self, ambassador, walked):
        lead = move(ambassador.user, add_lead(ambassador.user, ambassador), *walked)

        lead = move(ambassador.user, lead, "dropped")

        assert lead.status == "dropped" and lead.events.last().note == "对方决定留在海外"

    def test_dropping_without_a_reason_is_refused(self, ambassador):
        lead = add_lead(ambassador.user, ambassador)

        refused("note", lambda: step(ambassador.user, lead, "dropped"))

    @pytest.mark.parametrize("walked", [("landed",), ("landed", "certified")])
    def test_a_landed_or_certified_lead_cannot_be_dropped(self, ambassador, pujiang_enterprise, walked):
        lead = move(ambassador.user, add_lead(ambassador.user, ambassador), "contacted", "visited", *walked,
                    enterprise=pujiang_enterprise, application=application(pujiang_enterprise))  # fmt: skip
        before = snapshot(lead)

        refused("to_status", lambda: move(ambassador.user, lead, "dropped"))

        assert snapshot(lead) == before

    def test_a_dropped_lead_cannot_be_revived(self, ambassador):
        lead = move(ambassador.user, add_lead(ambassador.user, ambassador), "dropped")

        refused("to_status", lambda: move(ambassador.user, lead, "contacted"))

    def test_an_ambassador_cannot_move_another_ambassadors_lead(self, ambassador, other_ambassador):
        lead = add_lead(other_ambassador.user, other_ambassador)

        with pytest.raises(PermissionDenied):
            move(ambassador.user, lead, "contacted")
        assert Lead.objects.get(pk=lead.pk).status == "lead"

    def test_an_officer_of_another_town_cannot_move_a_lead(self, ambassador, xinzhuang_officer):
        lead = add_lead(ambassador.user, ambassador)

        with pytest.raises(PermissionDenied):
            move(xinzhuang_officer, lead, "contacted")


# Figures ---------------------------------------------------------------------------------------------


def pipeline_of(ambassador, enterprise, *, dropped=0, leads=0, contacted=0, visited=0, landed=0, certified=0,
                when=NOW):  # fmt: skip
    """Leads of an ambassador in the given numbers per status, walked through the services."""
    actor = ambassador.user
    steps = {
        "lead": (),
        "contacted": ("contacted",),
        "visited": ("contacted", "visited"),
        "landed": ("contacted", "visited", "landed"),
        "certified": ("contacted", "visited", "landed", "certified"),
        "dropped": ("contacted", "dropped"),
    }
    wanted = {"lead": leads, "contacted": contacted, "visited": visited, "landed": landed, "certified": certified,
              "dropped": dropped}  # fmt: skip
    for status, n in wanted.items():
        for i in range(n):
            lead = add_lead(actor, ambassador, now=when, name=f"{ambassador.name}-{status}-{i}")
            approved = application(enterprise, name=f"{ambassador.name}{status}{i}") if status == "certified" else None
            move(actor, lead, *steps[status], now=when, enterprise=enterprise, application=approved)


class TestStats:
    def test_stats_count_each_status_and_the_landed_share_from_the_records(self, ambassador, pujiang_enterprise):
        pipeline_of(ambassador, pujiang_enterprise, leads=2, contacted=1, visited=1, landed=2, certified=1, dropped=1)

        stats = selectors.ambassador_stats(ambassador)

        assert stats.total == 8
        assert stats.by_status == {"lead": 2, "contacted": 1, "visited": 1, "landed": 2, "certified": 1, "dropped": 1}
        assert stats.landed == 3  # the certified lead landed first
        assert stats.certified == 1
        assert str(stats.conversion) == "37.5"

    def test_an_ambassador_without_leads_has_no_conversion(self, ambassador):
        stats = selectors.ambassador_stats(ambassador)

        assert stats.total == 0 and stats.conversion is None and sum(n for _s, _l, n in stats.rows) == 0

    def test_stats_take_one_query(self, ambassador, pujiang_enterprise):
        pipeline_of(ambassador, pujiang_enterprise, leads=1, landed=1)

        with CaptureQueriesContext(connection) as queries:
            selectors.ambassador_stats(ambassador)

        assert len(queries) == 1


class TestLeaderboard:
    @pytest.fixture
    def board(self, pujiang_officer, district_officer, pujiang_enterprise):
        """Four ambassadors: two of 浦江镇 and one of 莘庄镇 scoring, one of 浦江镇 with nothing yet."""
        chen = appoint_with_login(pujiang_officer, "amb_chen")
        li = appoint_with_login(pujiang_officer, "amb_li", name="李文涛")
        zhao = appoint_with_login(district_officer, "amb_zhao", town="xinzhuang", name="赵明")
        appoint_with_login(pujiang_officer, "amb_wu", name="吴敏")
        pipeline_of(chen, pujiang_enterprise, certified=1, visited=3)
        pipeline_of(li, pujiang_enterprise, certified=1, landed=2)
        pipeline_of(zhao, pujiang_enterprise, certified=2, when=at(1, year=2025))
        return {"chen": chen, "li": li, "zhao": zhao}

    def rows(self, user, year=None):
        return [(a.name, a.rank, a.certified, a.landed, a.visited) for a in selectors.leaderboard(user, year=year)]

    def test_a_district_officer_sees_every_town_ranked_by_certified_then_landed_then_visited(
        self, board, district_officer
    ):
        assert self.rows(district_officer) == [
            ("赵明", 1, 2, 2, 2),
            ("李文涛", 2, 1, 3, 3),
            ("陈嘉怡", 3, 1, 1, 4),
            ("吴敏", 4, 0, 0, 0),
        ]

    def test_a_town_officer_sees_only_the_towns_ambassadors(self, board, pujiang_officer, xinzhuang_officer):
        assert [name for name, *_ in self.rows(pujiang_officer)] == ["李文涛", "陈嘉怡", "吴敏"]
        assert [name for name, *_ in self.rows(xinzhuang_officer)] == ["赵明"]

    def test_a_year_counts_only_what_happened_in_it(self, board, district_officer):
        rows = self.rows(district_officer, year=2025)

        assert rows[0] == ("赵明", 1, 2, 2, 2)
        assert all(certified == landed == visited == 0 for _n, _r, certified, landed, visited in rows[1:])
        assert [name for name, *_ in self.rows(district_officer, year=2023)] == []

    def test_equal_figures_share_a_rank(self, pujiang_officer, pujiang_enterprise):
        first = appoint_with_login(pujiang_officer, "amb_a", name="甲")
        second = appoint_with_login(pujiang_officer, "amb_b", name="乙")
        pipeline_of(first, pujiang_enterprise, landed=1)
        pipeline_of(second, pujiang_enterprise, landed=1)

        assert [rank for _n, rank, *_ in self.rows(pujiang_officer)] == [1, 1]

    def test_the_leaderboard_is_one_query_however_many_ambassadors(self, board, district_officer, pujiang_officer):
        list(selectors.leaderboard(district_officer))  # the officer's region path is looked up once, then cached
        with CaptureQueriesContext(connection) as few:
            list(selectors.leaderboard(district_officer))
        for i in range(5):
            more = appoint(pujiang_officer, name=f"新大使{i}")
            add_lead(pujiang_officer, more)
        with CaptureQueriesContext(connection) as many:
            rows = list(selectors.leaderboard(district_officer))

        assert len(rows) == 9
        assert len(few) == len(many) == 1


# Pages -----------------------------------------------------------------------------------------------


@pytest.fixture
def on_appointment_day():
    with time_machine.travel(at(1), tick=False):
        yield


def get(client, user, name, status=200, **kwargs):
    client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == status, response.content[:500]
    return response


def flash(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.mark.usefixtures("on_appointment_day")
class TestPages:
    def test_an_officer_appoints_through_the_form_and_lands_on_the_ambassador(self, client, pujiang_officer):
        client.force_login(pujiang_officer)
        response = client.post(reverse("talent:ambassador-new"), {
            "name": "陈嘉怡", "organisation": "", "field": "基因治疗", "overseas_region": "北美", "town": "pujiang",
            "appointed_date": "2024-05-20", "term_start_date": "2024-05-20", "term_end_date": "2026-05-19",
            "username": "amb_chen",
        })  # fmt: skip

        ambassador = Ambassador.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("talent:ambassador", kwargs={"pk": ambassador.pk})
        assert ambassador.user.username == "amb_chen" and not ambassador.user.has_usable_password()

    def test_the_form_shows_the_services_refusal_on_the_field(self, client, xinzhuang_officer, district_officer):
        client.force_login(district_officer)
        response = client.post(reverse("talent:ambassador-new"), {
            "name": "陈嘉怡", "field": "基因治疗", "overseas_region": "北美", "town": "pujiang",
            "appointed_date": "2024-05-20", "term_start_date": "2024-05-20", "term_end_date": "2024-05-19",
        })  # fmt: skip

        assert response.status_code == 400
        assert response.context["form"].errors["term_end_date"] == ["任期结束日期须晚于开始日期"]
        assert not Ambassador.objects.exists()

    def test_a_town_officer_is_offered_only_the_towns_of_the_region(self, client, xinzhuang_officer):
        response = get(client, xinzhuang_officer, "talent:ambassador-new")

        assert [t.code for t in response.context["form"].fields["town"].queryset] == ["xinzhuang"]

    def test_the_list_shows_the_towns_ambassadors_with_their_figures(
        self, client, pujiang_officer, ambassador, pujiang_enterprise
    ):
        pipeline_of(ambassador, pujiang_enterprise, leads=2, landed=1)

        html = get(client, pujiang_officer, "talent:ambassadors").content.decode()

        assert "陈嘉怡" in html and "YCDS-2024-001" in html
        assert reverse("talent:ambassador-letter", kwargs={"pk": ambassador.pk}) in html
        assert '<td class="num">3</td><td class="num">1</td><td class="num">0</td>' in html

    def test_the_list_takes_the_same_queries_for_more_ambassadors(self, client, pujiang_officer, pujiang_enterprise):
        client.force_login(pujiang_officer)
        appoint(pujiang_officer)
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("talent:ambassadors"))
        for i in range(4):
            add_lead(pujiang_officer, appoint(pujiang_officer, name=f"新大使{i}"))
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("talent:ambassadors"))

        assert len(few) == len(many)

    def test_an_officer_of_another_town_does_not_see_the_ambassador(self, client, xinzhuang_officer, ambassador):
        html = get(client, xinzhuang_officer, "talent:ambassadors").content.decode()
        assert "陈嘉怡" not in html

        get(client, xinzhuang_officer, "talent:ambassador", status=404, pk=ambassador.pk)
        get(client, xinzhuang_officer, "talent:ambassador-letter", status=404, pk=ambassador.pk)
        get(client, xinzhuang_officer, "talent:ambassador-edit", status=404, pk=ambassador.pk)

    def test_the_detail_shows_the_stats_and_the_leads(self, client, pujiang_officer, ambassador, pujiang_enterprise):
        pipeline_of(ambassador, pujiang_enterprise, leads=1, landed=1)

        response = get(client, pujiang_officer, "talent:ambassador", pk=ambassador.pk)

        assert response.context["stats"].total == 2 and response.context["stats"].landed == 1
        html = response.content.decode()
        assert "陈嘉怡-landed-0" in html and pujiang_enterprise.name in html and "50.0%" in html

    def test_the_letter_downloads_as_a_pdf_attachment(self, client, pujiang_officer, ambassador):
        response = get(client, pujiang_officer, "talent:ambassador-letter", pk=ambassador.pk)

        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="YCDS-2024-001.pdf"'
        assert_safe_download(response)
        assert response.content.startswith(b"%PDF")

    def test_an_ambassador_downloads_their_own_letter_but_not_anothers(self, client, ambassador, other_ambassador):
        get(client, ambassador.user, "talent:ambassador-letter", pk=ambassador.pk)
        get(client, ambassador.user, "talent:ambassador-letter", status=404, pk=other_ambassador.pk)

    def test_an_ambassador_adds_a_lead_and_moves_it_on_my_leads(self, client, ambassador, other_ambassador):
        add_lead(other_ambassador.user, other_ambassador, name="别人的线索")
        client.force_login(ambassador.user)

        response = client.post(reverse("talent:lead-new"), {"kind": "talent", "name": "王海外", "field": "细胞治疗",
                                                            "ambassador": other_ambassador.pk})  # fmt: skip
        assert response.status_code == 302 and response.url == reverse("talent:leads")
        lead = Lead.objects.get(name="王海外")
        assert lead.ambassador == ambassador  # an ambassador always adds to their own pipeline

        response = client.post(reverse("talent:lead-move", kwargs={"pk": lead.pk}),
                               {"to_status": "contacted", "back": "leads"}, follow=True)  # fmt: skip
        assert "已联系" in flash(response)
        html = response.content.decode()
        assert "王海外" in html and "别人的线索" not in html and "标记为已考察" in html
        assert Lead.objects.get(pk=lead.pk).status == "contacted"

    def test_a_lead_lands_on_an_enterprise_named_by_its_credit_code(self, client, ambassador, pujiang_enterprise):
        lead = move(ambassador.user, add_lead(ambassador.user, ambassador), "contacted", "visited")
        client.force_login(ambassador.user)
        url = reverse("talent:lead-move", kwargs={"pk": lead.pk})

        response = client.post(url, {"to_status": "landed", "landing": "talent_hired",
                                     "enterprise_uscc": "91310000MA1K000000"}, follow=True)  # fmt: skip
        assert "企业库中没有" in flash(response)
        assert Lead.objects.get(pk=lead.pk).status == "visited"

        client.post(url, {"to_status": "landed", "landing": "talent_hired",
                          "enterprise_uscc": pujiang_enterprise.uscc.lower()})  # fmt: skip
        lead.refresh_from_db()
        assert lead.status == "landed" and lead.enterprise == pujiang_enterprise

    def test_the_lead_page_offers_approved_applications_of_the_enterprise_masked(
        self, client, ambassador, pujiang_enterprise, xinzhuang_enterprise
    ):
        lead = move(ambassador.user, add_lead(ambassador.user, ambassador), "contacted", "visited", "landed",
                    enterprise=pujiang_enterprise)  # fmt: skip
        approved = application(pujiang_enterprise, name="王海峰")
        application(pujiang_enterprise, name="孙未定", status="notice")
        application(xinzhuang_enterprise, name="周别家")

        response = get(client, ambassador.user, "talent:lead", pk=lead.pk)

        choices = dict(response.context["move_form"].fields["application"].choices)
        assert set(choices) == {"", approved.pk}
        assert choices[approved.pk].startswith("王**") and "王海峰" not in response.content.decode()

        client.post(reverse("talent:lead-move", kwargs={"pk": lead.pk}),
                    {"to_status": "certified", "application": approved.pk})  # fmt: skip
        assert Lead.objects.get(pk=lead.pk).status == "certified"

    def test_an_ambassador_cannot_see_or_move_another_ambassadors_lead(self, client, ambassador, other_ambassador):
        lead = add_lead(other_ambassador.user, other_ambassador)

        get(client, ambassador.user, "talent:lead", status=404, pk=lead.pk)
        get(client, ambassador.user, "talent:ambassador", status=404, pk=other_ambassador.pk)
        response = client.post(reverse("talent:lead-move", kwargs={"pk": lead.pk}), {"to_status": "contacted"})

        assert response.status_code == 404
        assert Lead.objects.get(pk=lead.pk).status == "lead"

    def test_an_ambassador_going_to_the_list_lands_on_my_leads(self, client, ambassador):
        response = get(client, ambassador.user, "talent:ambassadors", status=302)

        assert response.url == reverse("talent:leads")

    def test_an_ambassador_login_without_a_profile_is_told_so(self, client):
        login = factories.UserFactory(role=Role.AMBASSADOR)

        html = get(client, login, "talent:leads").content.decode()

        assert "尚未关联引才大使" in html

    def test_an_officer_adds_a_lead_for_an_ambassador_of_the_town(self, client, pujiang_officer, ambassador):
        client.force_login(pujiang_officer)

        response = client.post(reverse("talent:lead-new"), {"kind": "firm", "name": "海外基因项目",
                                                            "ambassador": ambassador.pk})  # fmt: skip

        assert response.status_code == 302
        assert Lead.objects.get().ambassador == ambassador

    def test_an_officer_of_another_town_cannot_add_a_lead_for_the_ambassador(
        self, client, xinzhuang_officer, ambassador
    ):
        client.force_login(xinzhuang_officer)

        response = client.post(reverse("talent:lead-new"), {"kind": "firm", "name": "x", "ambassador": ambassador.pk})

        assert response.status_code == 404 and not Lead.objects.exists()

    def test_the_leaderboard_is_for_officers(self, client, pujiang_officer, ambassador, enterprise_admin):
        html = get(client, pujiang_officer, "talent:leaderboard").content.decode()
        assert "陈嘉怡" in html

        get(client, ambassador.user, "talent:leaderboard", status=403)
        get(client, enterprise_admin, "talent:leaderboard", status=403)

    def test_the_leaderboard_page_ranks_by_the_records(self, client, district_officer, pujiang_officer,
                                                       pujiang_enterprise):  # fmt: skip
        chen = appoint_with_login(pujiang_officer, "amb_chen")
        li = appoint_with_login(pujiang_officer, "amb_li", name="李文涛")
        pipeline_of(chen, pujiang_enterprise, landed=1)
        pipeline_of(li, pujiang_enterprise, certified=1)
        client.force_login(district_officer)

        response = client.get(reverse("talent:leaderboard"), {"year": "2024"})

        assert [(a.name, a.rank) for a in response.context["page"].object_list] == [("李文涛", 1), ("陈嘉怡", 2)]

    def test_an_enterprise_user_may_not_open_the_ambassador_pages(self, client, enterprise_admin, ambassador):
        get(client, enterprise_admin, "talent:ambassadors", status=403)
        get(client, enterprise_admin, "talent:leads", status=403)
        get(client, enterprise_admin, "talent:ambassador", status=403, pk=ambassador.pk)
