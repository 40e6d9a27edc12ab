"""The policy pages for the public, enterprises and officers."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sanlian.policies.models import Grant, Parameter, Policy
from tests import factories
from tests.downloads import assert_safe_download

from .helpers import approved_report, committed, number_parameter, published_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(pujiang_officer):
    number_parameter(pujiang_officer)
    return published_policy(pujiang_officer).policy


def test_the_library_and_a_policy_are_public(client, policy):
    library = client.get(reverse("policies:library"), {"q": "研发"})
    page = client.get(reverse("policies:detail", args=[policy.code]))

    assert library.status_code == 200 and "浦江镇研发投入奖励" in library.content.decode()
    body = page.content.decode()
    assert page.status_code == 200
    assert "研发投入占营收比例 ≥ 4 %" in body and "rd_ratio_min" in body  # criteria with the parameter's value


def test_the_library_filters_out_what_does_not_match(client, policy):
    response = client.get(reverse("policies:library"), {"q": "不存在的政策"})

    assert "浦江镇研发投入奖励" not in response.content.decode()


def test_my_policies_explain_each_criterion_with_value_threshold_and_margin(client, pujiang_officer, policy):
    enterprise = factories.enterprise("pujiang")
    user = factories.enterprise_user(enterprise)
    approved_report(enterprise, 2025, pujiang_officer, revenue=Decimal("10000000"), rd_spend=Decimal("380000"))
    client.force_login(user)

    body = client.get(reverse("policies:mine")).content.decode()

    assert "浦江镇研发投入奖励" in body and "不符合" in body
    assert "3.8 %" in body and "≥ 4 %" in body and "−0.2 %" in body
    assert "示例政策第三条" in body  # the parameter's source clause


def test_an_unknown_result_offers_a_quick_application(client, enterprise_admin, policy):
    client.force_login(enterprise_admin)

    body = client.get(reverse("policies:mine")).content.decode()
    response = client.post(reverse("policies:quick-apply", args=[policy.code]), {"note": "2025年报在审"})

    assert "快申快享" in body and "研发投入占营收比例" in body
    assert response.status_code == 302
    assert Grant.objects.filter(enterprise=enterprise_admin.enterprise, origin="quick").exists()


def test_officers_manage_policies_and_enterprises_may_not(client, pujiang_officer, enterprise_admin, policy):
    client.force_login(pujiang_officer)
    assert client.get(reverse("policies:manage")).status_code == 200
    assert client.get(reverse("policies:edit", args=[policy.code])).status_code == 200
    assert client.get(reverse("policies:parameters")).status_code == 200
    assert client.get(reverse("policies:grants")).status_code == 200

    client.force_login(enterprise_admin)
    assert client.get(reverse("policies:manage")).status_code == 403
    assert client.get(reverse("policies:edit", args=[policy.code])).status_code == 403


def test_an_officer_of_another_town_cannot_edit_the_policy(client, xinzhuang_officer, policy):
    client.force_login(xinzhuang_officer)

    assert client.get(reverse("policies:edit", args=[policy.code])).status_code == 404


def test_saving_a_faulty_rule_shows_the_path_and_keeps_the_published_version(client, pujiang_officer, policy):
    client.force_login(pujiang_officer)
    data = {
        "title": "新标题", "issuer": "浦江镇人民政府", "effective_from_date": "2024-01-01",
        "rule": "all:\n  - {fact: town, op: '==', value: pujiang}\n  - {fact: profit, op: '>', value: 1}\n",
        "tests": "",
    }  # fmt: skip

    response = client.post(reverse("policies:edit", args=[policy.code]), data)

    body = response.content.decode()
    assert response.status_code == 200 and "all[1].fact" in body and "profit" in body
    assert policy.versions.count() == 1


def test_saving_malformed_yaml_names_the_line(client, pujiang_officer, policy):
    client.force_login(pujiang_officer)
    data = {"title": "x", "issuer": "y", "effective_from_date": "2024-01-01", "rule": "all:\n  - [unclosed\n"}

    body = client.post(reverse("policies:edit", args=[policy.code]), data).content.decode()

    assert "YAML" in body and "行" in body


def test_preview_then_publish_from_the_pages(client, pujiang_officer, policy):
    client.force_login(pujiang_officer)
    edit_url = reverse("policies:edit", args=[policy.code])
    form = client.get(edit_url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"title": "浦江镇研发投入奖励(2026修订)", "no_application": ""})
    client.post(edit_url, data)

    preview = client.get(reverse("policies:preview", args=[policy.code]))
    with committed():
        published = client.post(reverse("policies:publish", args=[policy.code]))

    assert preview.status_code == 200 and "✓" in preview.content.decode()
    assert published.status_code == 302
    assert Policy.objects.get(pk=policy.pk).versions.get(status="published").title == "浦江镇研发投入奖励(2026修订)"


def test_yaml_export_downloads_the_current_version(client, pujiang_officer, policy):
    client.force_login(pujiang_officer)

    response = client.get(reverse("policies:export", args=[policy.code]))

    assert_safe_download(response)
    assert response["Content-Disposition"].endswith('-v1.yaml"')
    assert "rd_ratio_min" in response.content.decode()


def test_a_parameter_value_is_recorded_from_the_page(client, pujiang_officer, policy):
    client.force_login(pujiang_officer)

    response = client.post(
        reverse("policies:parameters"),
        {"v-parameter": "rd_ratio_min", "v-value": "4.5", "v-effective_date": "2026-01-01", "v-note": "2026年调整"},
    )

    assert response.status_code == 302
    assert Parameter.objects.get(name="rd_ratio_min").values.count() == 2


def test_attachments_are_checked_by_content(client, pujiang_officer, policy):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(pujiang_officer)
    url = reverse("policies:attachment-upload", args=[policy.code])
    client.post(url, {"file": SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")})
    client.post(url, {"file": SimpleUploadedFile("通知.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")})

    names = list(policy.attachments.values_list("name", flat=True))
    assert names == ["通知.pdf"]
    download = client.get(reverse("policies:attachment", args=[policy.attachments.get().pk]))
    assert_safe_download(download)
