"""Key enterprises (重点企业): designation through the registry, its terms, and the officers' page."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sanlian.core.models import AuditEvent
from sanlian.dashboard.selectors import key_enterprises as cockpit_key_enterprises
from sanlian.enterprises.models import Certification, CertificationType
from sanlian.enterprises.selectors import KEY_ENTERPRISE_TYPE
from sanlian.talent.models import KeyEnterprise
from sanlian.talent.services.key_enterprises import key_enterprise_designate, key_enterprise_update
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 7, 1, 9, 0, tzinfo=timezone.get_default_timezone())
DOCUMENT = "闵人才办〔2024〕3号"


def designate(actor, enterprise, year=2024, **kwargs):
    kwargs.setdefault("source_document", DOCUMENT)
    return key_enterprise_designate(actor=actor, enterprise=enterprise, year=year, now=NOW, **kwargs)


def key_certifications(enterprise):
    return Certification.objects.filter(enterprise=enterprise, type__code=KEY_ENTERPRISE_TYPE)


class TestDesignation:
    def test_a_designation_is_the_registrys_certification_and_the_cockpit_counts_it(
        self, pujiang_officer, pujiang_enterprise
    ):
        town = factories.region("pujiang")
        before = cockpit_key_enterprises(town, [2024])[0]

        terms = designate(pujiang_officer, pujiang_enterprise, quota=3, can_certify_staff=True)

        certification = terms.certification
        assert certification.type.code == KEY_ENTERPRISE_TYPE and certification.year == 2024
        assert (certification.valid_from_date, certification.valid_until_date) == (date(2024, 7, 1), date(2025, 6, 30))
        assert certification.source_document == DOCUMENT and certification.issuer == "闵行区"
        assert (terms.year, terms.quota, terms.can_certify_staff) == (2024, 3, True)
        after = cockpit_key_enterprises(town, [2024])[0]
        assert (after["total"], after["biomedical"]) == (before["total"] + 1, before["biomedical"] + 1)
        assert AuditEvent.objects.filter(
            action="key_enterprise.designate", enterprise_id=pujiang_enterprise.pk
        ).exists()

    def test_a_second_designation_for_the_same_year_is_refused_and_nothing_changes(
        self, pujiang_officer, district_officer, pujiang_enterprise
    ):
        designate(pujiang_officer, pujiang_enterprise)

        with pytest.raises(ValidationError) as refused:
            designate(district_officer, pujiang_enterprise, quota=5)

        assert refused.value.message_dict["enterprise"] == [
            "浦江测试医疗器械有限公司 已是 2024 年度重点企业,不能重复认定"
        ]
        assert key_certifications(pujiang_enterprise).count() == 1
        assert KeyEnterprise.objects.get(enterprise=pujiang_enterprise).quota is None

    def test_a_designation_already_in_the_registry_counts_as_the_first(self, pujiang_officer, pujiang_enterprise):
        key_type = CertificationType.objects.get(code=KEY_ENTERPRISE_TYPE)
        Certification.objects.create(enterprise=pujiang_enterprise, type=key_type, issuer="闵行区", year=2024)

        with pytest.raises(ValidationError) as refused:
            designate(pujiang_officer, pujiang_enterprise)

        assert "已是 2024 年度重点企业" in refused.value.message_dict["enterprise"][0]
        assert key_certifications(pujiang_enterprise).count() == 1

    def test_another_year_is_a_new_designation(self, pujiang_officer, pujiang_enterprise):
        designate(pujiang_officer, pujiang_enterprise, year=2023)
        designate(pujiang_officer, pujiang_enterprise, year=2024)

        assert sorted(key_certifications(pujiang_enterprise).values_list("year", flat=True)) == [2023, 2024]

    def test_an_enterprise_outside_the_officers_scope_is_refused(self, xinzhuang_officer, pujiang_enterprise):
        with pytest.raises(PermissionDenied):
            designate(xinzhuang_officer, pujiang_enterprise)

        assert not key_certifications(pujiang_enterprise).exists() and not KeyEnterprise.objects.exists()

    def test_an_enterprise_user_may_not_designate_its_own_enterprise(self, enterprise_admin, pujiang_enterprise):
        with pytest.raises(PermissionDenied):
            designate(enterprise_admin, pujiang_enterprise)

    @pytest.mark.parametrize(
        ("bad", "field", "message"),
        [
            ({"source_document": "  "}, "source_document", "请填写认定依据文件(文号或名称)"),
            ({"year": 1999}, "year", "年度应为 2000–2100 之间的整数"),
            ({"quota": -1}, "quota", "申报名额应为 0–1000 之间的整数,不另设名额请留空"),
        ],
    )
    def test_bad_input_names_the_field_and_saves_nothing(
        self, pujiang_officer, pujiang_enterprise, bad, field, message
    ):
        with pytest.raises(ValidationError) as refused:
            designate(pujiang_officer, pujiang_enterprise, **bad)

        assert refused.value.message_dict[field] == [message]
        assert not key_certifications(pujiang_enterprise).exists()


class TestTerms:
    def test_the_terms_change_and_the_change_is_recorded(self, pujiang_officer, pujiang_enterprise):
        terms = designate(pujiang_officer, pujiang_enterprise)

        updated = key_enterprise_update(
            actor=pujiang_officer, certification=terms.certification, quota=2, can_certify_staff=True, now=NOW
        )

        assert (updated.pk, updated.quota, updated.can_certify_staff) == (terms.pk, 2, True)
        event = AuditEvent.objects.get(action="key_enterprise.update")
        assert event.changes == {"quota": [None, 2], "can_certify_staff": [False, True]}

    def test_a_designation_recorded_without_terms_gets_them(self, pujiang_officer, pujiang_enterprise):
        key_type = CertificationType.objects.get(code=KEY_ENTERPRISE_TYPE)
        certification = Certification.objects.create(
            enterprise=pujiang_enterprise, type=key_type, issuer="闵行区", year=2023
        )

        terms = key_enterprise_update(actor=pujiang_officer, certification=certification, quota=1, now=NOW)

        assert (terms.enterprise, terms.year, terms.quota) == (pujiang_enterprise, 2023, 1)

    def test_terms_outside_the_scope_are_refused(self, pujiang_officer, xinzhuang_officer, pujiang_enterprise):
        terms = designate(pujiang_officer, pujiang_enterprise)

        with pytest.raises(PermissionDenied):
            key_enterprise_update(actor=xinzhuang_officer, certification=terms.certification, quota=9, now=NOW)

        terms.refresh_from_db()
        assert terms.quota is None


class TestPage:
    def test_the_page_lists_the_years_key_enterprises_in_scope_with_the_biomedical_count(
        self, client, pujiang_officer, district_officer, pujiang_enterprise, xinzhuang_enterprise
    ):
        other = factories.enterprise("pujiang", name="浦江测试软件有限公司", is_biomedical=False, cluster=None)
        designate(pujiang_officer, pujiang_enterprise)
        designate(pujiang_officer, other)
        designate(district_officer, xinzhuang_enterprise)
        client.force_login(pujiang_officer)

        response = client.get(reverse("talent:key-enterprises") + "?year=2024")

        html = response.content.decode()
        assert "浦江测试医疗器械有限公司" in html and "浦江测试软件有限公司" in html and DOCUMENT in html
        assert "莘庄测试生物有限公司" not in html
        assert "共 2 家,其中生物医药企业 1 家" in html and "50.0%" in html

    def test_a_designation_recorded_without_terms_is_listed_with_empty_terms(
        self, client, pujiang_officer, pujiang_enterprise
    ):
        key_type = CertificationType.objects.get(code=KEY_ENTERPRISE_TYPE)
        Certification.objects.create(enterprise=pujiang_enterprise, type=key_type, issuer="闵行区", year=2023)
        client.force_login(pujiang_officer)

        response = client.get(reverse("talent:key-enterprises"))

        assert response.context["year"] == 2023  # the latest year with designations by default
        assert "浦江测试医疗器械有限公司" in response.content.decode() and response.context["totals"]["total"] == 1

    def test_the_district_filters_by_town(self, client, district_officer, pujiang_enterprise, xinzhuang_enterprise):
        designate(district_officer, pujiang_enterprise)
        designate(district_officer, xinzhuang_enterprise)
        client.force_login(district_officer)

        response = client.get(reverse("talent:key-enterprises") + "?year=2024&town=xinzhuang")

        assert [c.enterprise for c in response.context["page"]] == [xinzhuang_enterprise]
        assert response.context["totals"]["total"] == 1

    def test_an_officer_designates_by_name_from_the_page(self, client, pujiang_officer, pujiang_enterprise):
        client.force_login(pujiang_officer)

        response = client.post(
            reverse("talent:key-enterprise-new"),
            {"enterprise": "浦江测试医疗器械", "year": 2024, "source_document": DOCUMENT, "quota": "2",
             "can_certify_staff": "on"},
        )  # fmt: skip

        assert response.status_code == 302 and response["Location"].endswith("?year=2024")
        terms = KeyEnterprise.objects.get(enterprise=pujiang_enterprise)
        assert (terms.quota, terms.can_certify_staff) == (2, True)

    def test_an_enterprise_outside_the_scope_is_not_found_from_the_page(
        self, client, xinzhuang_officer, pujiang_enterprise
    ):
        client.force_login(xinzhuang_officer)

        response = client.post(
            reverse("talent:key-enterprise-new"),
            {"enterprise": pujiang_enterprise.uscc, "year": 2024, "source_document": DOCUMENT},
        )

        assert response.status_code == 400
        assert "在您的管辖范围内没有找到该企业" in response.content.decode()
        assert not key_certifications(pujiang_enterprise).exists()

    def test_a_duplicate_from_the_page_shows_the_reason(self, client, pujiang_officer, pujiang_enterprise):
        designate(pujiang_officer, pujiang_enterprise)
        client.force_login(pujiang_officer)

        response = client.post(
            reverse("talent:key-enterprise-new"),
            {"enterprise": pujiang_enterprise.uscc, "year": 2024, "source_document": DOCUMENT},
        )

        assert response.status_code == 400
        assert "已是 2024 年度重点企业,不能重复认定" in response.content.decode()

    def test_a_name_matching_several_enterprises_asks_to_choose(self, client, pujiang_officer):
        first = factories.enterprise("pujiang", name="浦江甲生物有限公司")
        factories.enterprise("pujiang", name="浦江乙生物有限公司")
        client.force_login(pujiang_officer)

        response = client.post(
            reverse("talent:key-enterprise-new"),
            {"enterprise": "生物有限公司", "year": 2024, "source_document": DOCUMENT},
        )

        assert response.status_code == 400
        assert "匹配到多家企业" in response.content.decode() and first.uscc in response.content.decode()
        assert not KeyEnterprise.objects.exists()

    def test_the_terms_form_on_the_list_updates_quota_and_right(self, client, pujiang_officer, pujiang_enterprise):
        terms = designate(pujiang_officer, pujiang_enterprise)
        client.force_login(pujiang_officer)

        response = client.post(
            reverse("talent:key-enterprise-terms", kwargs={"pk": terms.certification_id}),
            {"quota": "4", "can_certify_staff": "on"},
        )

        assert response.status_code == 302
        terms.refresh_from_db()
        assert (terms.quota, terms.can_certify_staff) == (4, True)

    def test_an_enterprise_user_may_not_open_the_page(self, client, enterprise_admin):
        client.force_login(enterprise_admin)

        assert client.get(reverse("talent:key-enterprises")).status_code == 403
