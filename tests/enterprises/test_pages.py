from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanlian.core.models import AuditEvent, Notification
from sanlian.enterprises import services
from sanlian.enterprises.models import AnnualReport, CertificationType, Contact, Park
from tests import factories
from tests.xlsx import xlsx_rows


def _approved_report(enterprise, year, revenue, actor=None):
    admin = actor or factories.enterprise_user(enterprise)
    report = services.annual_report_save(
        actor=admin, enterprise=enterprise, year=year, data=factories.report_data(revenue=Decimal(revenue))
    )
    services.annual_report_transition(actor=admin, report=report, action="submit")
    return services.annual_report_transition(actor=factories.superuser(), report=report, action="approve")


@pytest.mark.django_db
class TestScopeThroughPages:
    def test_a_town_officer_lists_only_the_towns_enterprises(
        self, client, pujiang_officer, pujiang_enterprise, xinzhuang_enterprise
    ):
        client.force_login(pujiang_officer)
        page = client.get(reverse("enterprises:directory")).content.decode()
        assert pujiang_enterprise.name in page and xinzhuang_enterprise.name not in page

    def test_a_town_officer_cannot_open_another_towns_enterprise(self, client, pujiang_officer, xinzhuang_enterprise):
        client.force_login(pujiang_officer)
        assert client.get(reverse("enterprises:detail", args=[xinzhuang_enterprise.pk])).status_code == 404

    def test_a_district_officer_sees_every_town(
        self, client, district_officer, pujiang_enterprise, xinzhuang_enterprise
    ):
        client.force_login(district_officer)
        page = client.get(reverse("enterprises:directory")).content.decode()
        assert pujiang_enterprise.name in page and xinzhuang_enterprise.name in page
        assert client.get(reverse("enterprises:detail", args=[xinzhuang_enterprise.pk])).status_code == 200

    def test_an_enterprise_user_reads_only_its_own_enterprise(
        self, client, enterprise_admin, pujiang_enterprise, xinzhuang_enterprise
    ):
        client.force_login(enterprise_admin)
        assert client.get(reverse("enterprises:detail", args=[pujiang_enterprise.pk])).status_code == 200
        assert client.get(reverse("enterprises:detail", args=[xinzhuang_enterprise.pk])).status_code == 404
        assert client.get(reverse("enterprises:directory")).url == reverse(
            "enterprises:detail", args=[pujiang_enterprise.pk]
        )

    def test_an_enterprise_user_cannot_export_the_directory_or_review(self, client, enterprise_admin):
        client.force_login(enterprise_admin)
        assert client.get(reverse("enterprises:review-queue")).status_code == 403

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client, pujiang_enterprise):
        response = client.get(reverse("enterprises:detail", args=[pujiang_enterprise.pk]))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.django_db
class TestDirectoryFilters:
    @pytest.fixture
    def cluster_of_three(self, db):
        from sanlian.enterprises.models import Cluster

        actor = factories.superuser()
        park = Park.objects.get(code="lingang-pujiang")
        devices = factories.enterprise(name="甲医疗器械", park=park, chain_nodes=("M5",), actor=actor)
        pharma = factories.enterprise(
            name="乙生物制药", cluster=Cluster.objects.get(code="pharma-bio"), chain_nodes=("M3", "M1"), actor=actor
        )
        other = factories.enterprise(
            name="丙机械制造", is_biomedical=False, cluster=None, industry_code="3411", chain_nodes=(), actor=actor
        )
        _approved_report(devices, 2023, "30000000")
        _approved_report(pharma, 2023, "300000000")
        services.certification_add(
            actor=actor,
            enterprise=pharma,
            data={"type": CertificationType.objects.get(code="chunshen-key"), "year": 2023},
        )
        services.certification_add(
            actor=actor,
            enterprise=devices,
            data={
                "type": CertificationType.objects.get(code="hnte"),
                "valid_from_date": "2022-01-01",
                "valid_until_date": "2024-12-31",
            },
        )
        return devices, pharma, other

    @pytest.mark.parametrize(
        "query,expected",
        [
            ("cluster=devices", {"甲医疗器械"}),
            ("chain_node=M1", {"乙生物制药"}),
            ("park=lingang-pujiang", {"甲医疗器械"}),
            ("revenue_band=200m-1b&revenue_year=2023", {"乙生物制药"}),
            ("revenue_band=10m-50m&revenue_year=2023", {"甲医疗器械"}),
            ("key_year=2023", {"乙生物制药"}),
            ("biomedical=false", {"丙机械制造"}),
            ("q=机械", {"丙机械制造"}),
        ],
    )
    def test_each_filter_narrows_the_list(self, client, pujiang_officer, cluster_of_three, query, expected):
        client.force_login(pujiang_officer)
        page = client.get(reverse("enterprises:directory") + "?" + query)
        names = {e.name for e in page.context["page"]}
        assert names == expected

    def test_a_certification_counts_only_while_it_is_valid(self, client, pujiang_officer, cluster_of_three):
        from datetime import date

        from sanlian.enterprises.selectors import DirectoryFilters, enterprise_directory

        held = enterprise_directory(
            user=pujiang_officer, filters=DirectoryFilters(certification="hnte", as_of=date(2024, 6, 1))
        )
        lapsed = enterprise_directory(
            user=pujiang_officer, filters=DirectoryFilters(certification="hnte", as_of=date(2025, 6, 1))
        )
        assert [e.name for e in held] == ["甲医疗器械"] and not lapsed.exists()

    def test_the_export_holds_the_filtered_rows_with_revenue(self, client, pujiang_officer, cluster_of_three):
        client.force_login(pujiang_officer)
        response = client.get(reverse("enterprises:directory") + "?biomedical=true&revenue_year=2023&format=xlsx")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")

        rows = xlsx_rows(response)
        assert rows[0][0] == "企业名称"
        assert {(r[0], r[-1]) for r in rows[1:]} == {("甲医疗器械", 30000000), ("乙生物制药", 300000000)}


@pytest.mark.django_db
def test_the_directory_page_query_count_does_not_grow_with_rows(client, pujiang_officer):
    actor = factories.superuser()
    client.force_login(pujiang_officer)

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("enterprises:directory")).status_code == 200
        return len(ctx)

    for _ in range(3):
        factories.enterprise(actor=actor, chain_nodes=("M5", "U2"))
    few = count_queries()
    for _ in range(22):
        factories.enterprise(actor=actor, chain_nodes=("M5", "U2"))
    assert count_queries() == few


@pytest.mark.django_db
class TestProfile:
    def test_contacts_are_masked_and_a_reveal_is_logged(self, client, pujiang_officer, pujiang_enterprise):
        contact = services.contact_save(
            actor=factories.superuser(),
            enterprise=pujiang_enterprise,
            data={"name": "王五", "phone": "13812345678", "email": "wang@example.cn"},
        )
        client.force_login(pujiang_officer)
        page = client.get(reverse("enterprises:detail", args=[pujiang_enterprise.pk])).content.decode()
        assert "138****5678" in page and "13812345678" not in page
        revealed = client.post(reverse("enterprises:contact-reveal", args=[contact.pk])).content.decode()
        assert "13812345678" in revealed
        assert AuditEvent.objects.filter(action="contact.reveal", actor=pujiang_officer).count() == 1

    def test_contact_phone_is_encrypted_at_rest(self, pujiang_enterprise):
        services.contact_save(
            actor=factories.superuser(), enterprise=pujiang_enterprise, data={"name": "王五", "phone": "13812345678"}
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT phone FROM enterprises_contact")
            stored = cursor.fetchone()[0]
        assert "13812345678" not in stored and Contact.objects.get().phone == "13812345678"

    def test_the_history_shows_old_and_new_values(self, client, pujiang_officer, enterprise_admin, pujiang_enterprise):
        client.force_login(enterprise_admin)
        response = client.post(
            reverse("enterprises:edit", args=[pujiang_enterprise.pk]),
            {
                "name": pujiang_enterprise.name,
                "industry_code": "3581",
                "address": "新骏环路 88 号",
                "chain_nodes": ["M5"],
                "founded_date": "",
                "registered_capital": "",
            },
        )
        assert response.status_code == 302, response.content.decode()
        client.force_login(pujiang_officer)
        page = client.get(reverse("enterprises:detail", args=[pujiang_enterprise.pk])).content.decode()
        assert "新骏环路 88 号" in page and "pj_admin" in page


@pytest.mark.django_db
class TestAnnualReportPages:
    def _post_report(self, client, enterprise, **overrides):
        data = {
            "year": 2024,
            "revenue": "12000000",
            "tax": "800000",
            "rd_spend": "1500000",
            "employees": 80,
            "rd_staff": 20,
            "patents_invention": 1,
            "patents_utility": 0,
            "patents_design": 0,
            "submit": "1",
        }
        data.update(overrides)
        return client.post(reverse("enterprises:report-new", args=[enterprise.pk]), data)

    def test_the_enterprise_submits_and_the_officer_approves_and_the_inbox_tells(
        self, client, enterprise_admin, pujiang_officer, pujiang_enterprise
    ):
        client.force_login(enterprise_admin)
        assert self._post_report(client, pujiang_enterprise).status_code == 302
        report = AnnualReport.objects.get()
        assert report.status == "submitted" and report.revenue == Decimal("12000000.00")
        client.force_login(pujiang_officer)
        assert str(pujiang_enterprise.name) in client.get(reverse("enterprises:review-queue")).content.decode()
        client.post(
            reverse("enterprises:report-transition", args=[report.pk]),
            {"action": "return", "comment": "请补充研发人员名单"},
        )
        client.force_login(enterprise_admin)
        inbox = client.get(reverse("inbox")).content.decode()
        assert "被退回" in inbox and "请补充研发人员名单" in inbox
        assert Notification.objects.filter(recipient=enterprise_admin, read_at__isnull=True).count() == 1

    @pytest.mark.parametrize("field,value", [("revenue", "-1"), ("tax", "十万"), ("rd_staff", "500")])
    def test_bad_figures_are_refused_naming_the_field_and_nothing_is_saved(
        self, client, enterprise_admin, pujiang_enterprise, field, value
    ):
        client.force_login(enterprise_admin)
        response = self._post_report(client, pujiang_enterprise, **{field: value})
        assert response.status_code == 400
        assert field in response.context["form"].errors
        assert not AnnualReport.objects.exists()

    def test_an_officer_cannot_approve_a_report_of_another_town(
        self, client, xinzhuang_officer, enterprise_admin, pujiang_enterprise
    ):
        client.force_login(enterprise_admin)
        self._post_report(client, pujiang_enterprise)
        client.force_login(xinzhuang_officer)
        report = AnnualReport.objects.get()
        response = client.post(reverse("enterprises:report-transition", args=[report.pk]), {"action": "approve"})
        assert response.status_code == 404
        report.refresh_from_db()
        assert report.status == "submitted"


@pytest.mark.django_db
class TestRegistrationPage:
    def test_a_bad_check_character_without_a_reason_is_refused_on_the_field(self, client, pujiang_officer):
        client.force_login(pujiang_officer)
        code = factories.new_uscc()
        bad = code[:-1] + ("0" if code[-1] != "0" else "1")
        data = {
            "name": "新企业",
            "uscc": bad,
            "industry_code": "2761",
            "town": factories.region("pujiang").pk,
            "is_biomedical": "on",
        }
        response = client.post(reverse("enterprises:create"), data)
        assert response.status_code == 400 and "uscc_override_reason" in response.context["form"].errors
        response = client.post(reverse("enterprises:create"), {**data, "uscc_override_reason": "早期核发,已核实"})
        assert response.status_code == 302

    def test_an_unknown_park_is_rejected(self, client, pujiang_officer):
        client.force_login(pujiang_officer)
        response = client.post(
            reverse("enterprises:create"),
            {
                "name": "新企业",
                "uscc": factories.new_uscc(),
                "industry_code": "2761",
                "town": factories.region("pujiang").pk,
                "park": 99999,
            },
        )
        assert response.status_code == 400 and "park" in response.context["form"].errors


@pytest.mark.django_db
def test_an_officer_renames_a_chain_node_and_the_change_is_audited(client, pujiang_officer, enterprise_admin):
    client.force_login(enterprise_admin)
    assert client.get(reverse("enterprises:chain-node-edit", args=["S2"])).status_code == 403
    client.force_login(pujiang_officer)
    response = client.post(
        reverse("enterprises:chain-node-edit", args=["S2"]),
        {"name": "知识产权服务与运营", "name_en": "IP services", "description": ""},
    )
    assert response.status_code == 302
    assert "知识产权服务与运营" in client.get(reverse("enterprises:chain-nodes")).content.decode()
    assert AuditEvent.objects.get(action="chain_node.update").changes["name"] == ["知识产权服务", "知识产权服务与运营"]


@pytest.mark.django_db
def test_reference_names_follow_the_ui_language(client, pujiang_officer, pujiang_enterprise):
    client.force_login(pujiang_officer)
    assert "浦江镇" in client.get(reverse("enterprises:directory")).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("enterprises:directory")).content.decode()
    assert "Pujiang Town" in page and "Medical devices and equipment" in page
    assert pujiang_enterprise.name in page  # a legal name is never translated
