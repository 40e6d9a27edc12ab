"""The enterprise registry through /api/v1: the directory, profiles, and writes through the services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanlian.core.models import AuditEvent
from sanlian.enterprises import services
from sanlian.enterprises.models import Enterprise, Park
from tests import factories

from .helpers import bad_check, certify


def new_enterprise(**overrides) -> dict:
    body = {
        "name": "浦江新创医疗科技有限公司",
        "uscc": factories.new_uscc(),
        "industry_code": "3581",
        "is_biomedical": True,
        "cluster": "devices",
        "town": "pujiang",
        "park": "lingang-pujiang",
        "chain_nodes": ["m5", "U4"],
        "registered_capital": "5400000000.00",
        "founded_date": "2019-06-01",
    }
    body.update(overrides)
    return body


class TestDirectory:
    def test_filters_like_the_pages(self, api_as, district_officer, pujiang_enterprise, xinzhuang_enterprise):
        pharma = factories.enterprise("pujiang", name="浦江生物制品有限公司", chain_nodes=("M3",))
        client = api_as(district_officer)

        def ids(**params):
            return {row["id"] for row in client.get("/enterprises", **params).json()["items"]}

        assert ids(town="pujiang") == {pujiang_enterprise.pk, pharma.pk}
        assert ids(chain_node="m3") == {pharma.pk}
        assert ids(q="莘庄") == {xinzhuang_enterprise.pk}
        assert ids(q=pharma.uscc) == {pharma.pk}
        assert ids(cluster="devices", town="xinzhuang") == {xinzhuang_enterprise.pk}
        assert ids(biomedical="false") == set()

    def test_filters_by_certification_and_key_enterprise_year(self, api_as, district_officer, pujiang_enterprise):
        certify(pujiang_enterprise, "chunshen-key", year=2023)
        certify(pujiang_enterprise, "hnte", valid_from_date="2022-01-01", valid_until_date="2024-12-31")
        client = api_as(district_officer)

        def count(**params):
            return client.get("/enterprises", **params).json()["count"]

        assert count(key_year=2023) == 1 and count(key_year=2022) == 0
        assert count(certification="hnte", as_of="2023-06-30") == 1
        assert count(certification="hnte", as_of="2025-01-01") == 0

    def test_an_unknown_filter_code_is_named(self, api_as, district_officer):
        response = api_as(district_officer).get("/enterprises", chain_node="X9")

        assert response.status_code == 422
        assert list(response.json()["errors"]) == ["chain_node"]

    def test_pages_carry_the_count_and_respect_the_page_size(self, api_as, district_officer):
        for _ in range(5):
            factories.enterprise("pujiang")
        client = api_as(district_officer)

        first = client.get("/enterprises", page_size=2).json()
        last = client.get("/enterprises", page_size=2, page=3).json()

        assert first["count"] == 5 and len(first["items"]) == 2
        assert len(last["items"]) == 1

    def test_a_huge_page_size_is_capped_not_refused(self, api_as, district_officer, settings):
        settings.SANLIAN_API_MAX_PAGE_SIZE = 3
        for _ in range(4):
            factories.enterprise("pujiang")

        response = api_as(district_officer).get("/enterprises", page_size=10**12)

        assert response.status_code == 200
        assert response.json()["count"] == 4 and len(response.json()["items"]) == 3

    def test_the_default_page_size_comes_from_the_settings(self, api_as, district_officer, settings):
        settings.SANLIAN_API_PAGE_SIZE = 2
        for _ in range(3):
            factories.enterprise("pujiang")

        response = api_as(district_officer).get("/enterprises")

        assert response.json()["count"] == 3 and len(response.json()["items"]) == 2

    def test_an_absurd_page_number_is_refused_not_a_server_error(self, api_as, district_officer):
        response = api_as(district_officer).get("/enterprises", page=10**25)

        assert response.status_code == 422 and list(response.json()["errors"]) == ["page"]

    def test_three_and_thirty_rows_take_the_same_number_of_queries(self, api_as, district_officer):
        park = Park.objects.get(code="lingang-pujiang")
        client = api_as(district_officer)
        counts = []
        for total in (3, 30):
            while Enterprise.objects.count() < total:
                factories.enterprise("pujiang", park=park, chain_nodes=("M5", "U2"))
            with CaptureQueriesContext(connection) as queries:
                response = client.get("/enterprises")
            items = response.json()["items"]
            assert len(items) == total and all(row["chain_nodes"] == ["M5", "U2"] for row in items)
            counts.append(len(queries))

        assert counts[0] == counts[1]
        # token lookup and last-used stamp, the user's region, the count, the page and its chain nodes
        assert counts[1] <= 6, counts


class TestProfile:
    def test_carries_registration_facts_codes_and_certifications(self, api_as, pujiang_officer):
        enterprise = factories.enterprise(
            "pujiang",
            name="浦江档案企业",
            park=Park.objects.get(code="caohejing-pujiang"),
            chain_nodes=("U2", "M5"),
            registered_capital=5_400_000_000,
        )
        certify(enterprise, "hnte", valid_from_date="2020-01-01", valid_until_date="2022-12-31", number="GR2020")

        body = api_as(pujiang_officer).get(f"/enterprises/{enterprise.pk}").json()

        assert body["town"] == "pujiang" and body["park"] == "caohejing-pujiang" and body["cluster"] == "devices"
        assert body["chain_nodes"] == ["M5", "U2"]
        assert body["registered_capital"] == "5400000000.00"
        [cert] = body["certifications"]
        assert cert["type"] == "hnte" and cert["number"] == "GR2020"
        assert (cert["valid_from_date"], cert["valid_until_date"], cert["is_valid"]) == (
            "2020-01-01",
            "2022-12-31",
            False,
        )

    def test_shows_contacts_masked_never_in_full(self, api_as, pujiang_officer, pujiang_enterprise):
        services.contact_save(
            actor=pujiang_officer,
            enterprise=pujiang_enterprise,
            data={"name": "张三", "title": "总经理", "phone": "13812345678", "email": "zhangsan@example.cn"},
        )

        response = api_as(pujiang_officer).get(f"/enterprises/{pujiang_enterprise.pk}")

        [contact] = response.json()["contacts"]
        assert contact["phone"] == "138****5678" and contact["email"] == "z***@example.cn"
        assert b"13812345678" not in response.content and b"zhangsan@" not in response.content


class TestCreate:
    def test_an_officer_registers_an_enterprise_by_codes(self, api_as, pujiang_officer):
        response = api_as(pujiang_officer).post("/enterprises", new_enterprise())

        assert response.status_code == 201
        body = response.json()
        assert body["town"] == "pujiang" and body["park"] == "lingang-pujiang" and body["cluster"] == "devices"
        assert body["chain_nodes"] == ["M5", "U4"]
        assert body["registered_capital"] == "5400000000.00"
        assert AuditEvent.objects.filter(action="enterprise.create", target_id=str(body["id"])).exists()

    def test_money_may_be_an_integer(self, api_as, pujiang_officer):
        response = api_as(pujiang_officer).post("/enterprises", new_enterprise(registered_capital=10_000_000))

        assert response.json()["registered_capital"] == "10000000.00"

    @pytest.mark.parametrize("amount", [1234.5, "-1", -5, "一百万", "", True])
    def test_float_negative_or_non_numeric_money_is_refused_naming_the_field(self, api_as, pujiang_officer, amount):
        response = api_as(pujiang_officer).post("/enterprises", new_enterprise(registered_capital=amount))

        assert response.status_code == 422
        assert list(response.json()["errors"]) == ["registered_capital"]
        assert not Enterprise.objects.exists()

    def test_unknown_codes_are_refused_naming_every_field(self, api_as, pujiang_officer):
        body = new_enterprise(town="atlantis", park="nowhere-park", cluster="toys", chain_nodes=["M5", "Z9"])

        response = api_as(pujiang_officer).post("/enterprises", body)

        assert response.status_code == 422
        errors = response.json()["errors"]
        assert set(errors) == {"town", "park", "cluster", "chain_nodes"}
        assert "atlantis" in errors["town"][0] and "Z9" in errors["chain_nodes"][0]

    @pytest.mark.parametrize(
        ("field", "value"), [("town", "atlantis"), ("park", "nowhere"), ("cluster", "toys"), ("chain_nodes", ["Z9"])]
    )
    def test_one_unknown_code_is_refused_naming_its_field(self, api_as, pujiang_officer, field, value):
        response = api_as(pujiang_officer).post("/enterprises", new_enterprise(**{field: value}))

        assert response.status_code == 422
        assert list(response.json()["errors"]) == [field]

    def test_a_park_of_another_town_is_refused(self, api_as, district_officer):
        response = api_as(district_officer).post("/enterprises", new_enterprise(town="xinzhuang"))

        assert response.status_code == 422
        assert list(response.json()["errors"]) == ["park"]

    def test_a_town_outside_the_officers_scope_is_refused(self, api_as, pujiang_officer):
        response = api_as(pujiang_officer).post("/enterprises", new_enterprise(town="xinzhuang", park=None))

        assert response.status_code == 422
        assert list(response.json()["errors"]) == ["town"]

    def test_a_bad_check_character_needs_an_officers_reason(self, api_as, pujiang_officer):
        client = api_as(pujiang_officer)
        code = bad_check(factories.new_uscc())

        without = client.post("/enterprises", new_enterprise(uscc=code))
        with_reason = client.post(
            "/enterprises", new_enterprise(uscc=code, uscc_override_reason="2015年前核发,经市场监管局核实")
        )

        assert without.status_code == 422 and list(without.json()["errors"]) == ["uscc_override_reason"]
        assert with_reason.status_code == 201
        assert with_reason.json()["uscc"] == code
        assert with_reason.json()["uscc_override_reason"] == "2015年前核发,经市场监管局核实"

    def test_a_bad_check_character_is_refused_from_an_enterprise_user(
        self, api_as, enterprise_admin, pujiang_enterprise
    ):
        client = api_as(enterprise_admin)
        code = bad_check(factories.new_uscc())

        created = client.post("/enterprises", new_enterprise(uscc=code, uscc_override_reason="x"))
        changed = client.patch(
            f"/enterprises/{pujiang_enterprise.pk}", {"uscc": code, "uscc_override_reason": "我们的代码就是这样"}
        )

        assert created.status_code == 403
        assert changed.status_code == 422 and list(changed.json()["errors"]) == ["uscc"]
        pujiang_enterprise.refresh_from_db()
        assert pujiang_enterprise.uscc != code

    def test_a_bad_format_is_refused_even_for_officers(self, api_as, pujiang_officer):
        response = api_as(pujiang_officer).post("/enterprises", new_enterprise(uscc="91310112MA1234567I"))

        assert response.status_code == 422 and list(response.json()["errors"]) == ["uscc"]

    def test_a_duplicate_code_is_refused_naming_the_existing_enterprise(
        self, api_as, pujiang_officer, pujiang_enterprise
    ):
        response = api_as(pujiang_officer).post("/enterprises", new_enterprise(uscc=pujiang_enterprise.uscc))

        assert response.status_code == 422
        assert response.json()["detail"]
        [message] = response.json()["errors"]["uscc"]
        assert "浦江测试医疗器械有限公司" in message and str(pujiang_enterprise.pk) in message

    def test_missing_fields_are_named(self, api_as, pujiang_officer):
        response = api_as(pujiang_officer).post("/enterprises", {"name": "只有名字"})

        assert response.status_code == 422
        assert set(response.json()["errors"]) == {"uscc", "industry_code", "town"}

    def test_a_body_that_is_not_json_is_a_400(self, api_as, pujiang_officer):
        client = api_as(pujiang_officer)

        response = client.client.post(
            "/api/v1/enterprises", data="{not json", content_type="application/json", headers=client.headers
        )

        assert response.status_code == 400 and response.json()["code"] == "bad_request"

    def test_a_nul_character_anywhere_in_the_body_is_a_400_naming_it_and_nothing_is_saved(
        self, api_as, pujiang_officer
    ):
        client = api_as(pujiang_officer)
        before = Enterprise.objects.count()

        response = client.post("/enterprises", {"name": "空\x00字符", "uscc": "x", "tags": ["a\x00"]})

        assert response.status_code == 400
        assert response.json() == {"detail": "请求体不能包含空字符(NUL)", "code": "invalid_body"}
        assert Enterprise.objects.count() == before


class TestUpdate:
    def test_changes_only_the_fields_sent_and_records_them(self, api_as, pujiang_officer, pujiang_enterprise):
        response = api_as(pujiang_officer).patch(
            f"/enterprises/{pujiang_enterprise.pk}",
            {"park": "lingang-pujiang", "chain_nodes": ["U1", "M2"], "registered_capital": "12000000"},
        )

        assert response.status_code == 200
        body = response.json()
        assert body["park"] == "lingang-pujiang" and body["chain_nodes"] == ["M2", "U1"]
        assert body["registered_capital"] == "12000000.00" and body["name"] == "浦江测试医疗器械有限公司"
        event = AuditEvent.objects.get(action="enterprise.update", enterprise_id=pujiang_enterprise.pk)
        assert set(event.changes) == {"park", "chain_nodes", "registered_capital"}

    def test_null_clears_an_optional_reference(self, api_as, pujiang_officer):
        enterprise = factories.enterprise("pujiang", park=Park.objects.get(code="lingang-pujiang"))

        response = api_as(pujiang_officer).patch(f"/enterprises/{enterprise.pk}", {"park": None})

        assert response.json()["park"] is None

    def test_null_for_a_required_fact_is_refused_naming_it(self, api_as, pujiang_officer, pujiang_enterprise):
        response = api_as(pujiang_officer).patch(f"/enterprises/{pujiang_enterprise.pk}", {"town": None})

        assert response.status_code == 422 and "town" in response.json()["errors"]

    def test_negative_money_is_refused_naming_the_field(self, api_as, pujiang_officer, pujiang_enterprise):
        response = api_as(pujiang_officer).patch(
            f"/enterprises/{pujiang_enterprise.pk}", {"registered_capital": "-100"}
        )

        assert response.status_code == 422 and list(response.json()["errors"]) == ["registered_capital"]

    def test_another_towns_enterprise_is_not_found(self, api_as, xinzhuang_officer, pujiang_enterprise):
        response = api_as(xinzhuang_officer).patch(f"/enterprises/{pujiang_enterprise.pk}", {"description": "x"})

        assert response.status_code == 404
