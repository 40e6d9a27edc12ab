"""Declaration pages for each role: what they show, what they refuse, downloads and the export."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanlian.policies.models import Application, Call
from tests import factories
from tests.downloads import assert_safe_download
from tests.xlsx import xlsx_rows

from .calls_data import (
    GOOD_DATA,
    PNG,
    call_data,
    draft,
    make_call,
    recommended,
    submitted,
    upload,
    user_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_calls_today")]


@pytest.fixture
def district_call(district_officer):
    return make_call(district_officer, title="区级科技项目申报通知")


def page(client, user, name, status=200, **kwargs):
    client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def follow_messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# The list ----------------------------------------------------------------------------------------------


class TestList:
    def test_an_enterprise_sees_the_published_calls_of_its_region_with_its_eligibility_and_application(
        self, client, district_call, district_officer, pujiang_officer, xinzhuang_officer, pujiang_enterprise
    ):
        make_call(district_officer, title="尚未发布的通知", status="draft")
        make_call(xinzhuang_officer, title="莘庄镇专项申报")
        make_call(pujiang_officer, title="浦江镇专项申报", rule={"fact": "town", "op": "==", "value": "xinzhuang"})
        draft(district_call, pujiang_enterprise)

        html = page(client, user_of(pujiang_enterprise), "policies:calls")

        assert "区级科技项目申报通知" in html and "浦江镇专项申报" in html
        assert "尚未发布的通知" not in html and "莘庄镇专项申报" not in html
        assert "✓" in html and "✗" in html  # eligible for the district call, not for the town one
        assert "草稿" in html and reverse("policies:application", kwargs={"pk": Application.objects.get().pk}) in html
        assert reverse("policies:call-new") not in html

    def test_an_officer_sees_drafts_counts_by_status_and_the_new_call_button(
        self,
        client,
        district_call,
        district_officer,
        pujiang_officer,
        xinzhuang_officer,
        pujiang_enterprise,
        xinzhuang_enterprise,
    ):
        make_call(pujiang_officer, title="浦江镇草稿通知", status="draft")
        submitted(district_call, pujiang_enterprise)
        draft(district_call, xinzhuang_enterprise)

        town = page(client, pujiang_officer, "policies:calls")
        district = page(client, district_officer, "policies:calls")
        other_town = page(client, xinzhuang_officer, "policies:calls")

        assert "浦江镇草稿通知" in town and "区级科技项目申报通知" in town
        assert "1 份申报" in town and "待镇预审 1" in town  # only his town's application
        assert "2 份申报" in district and "浦江镇草稿通知" in district  # the district covers its towns
        assert "浦江镇草稿通知" not in other_town and "区级科技项目申报通知" in other_town
        assert reverse("policies:call-new") in town

    def test_the_query_count_does_not_grow_with_the_page(
        self, client, district_officer, pujiang_officer, pujiang_enterprise
    ):
        rule = {"fact": "rd_ratio", "op": ">=", "value": 4}
        for _ in range(2):
            draft(make_call(district_officer, rule=rule), pujiang_enterprise)
        enterprise_user = user_of(pujiang_enterprise)

        def queries(user) -> int:
            client.force_login(user)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("policies:calls")).status_code == 200
            return len(captured)

        before = {"enterprise": queries(enterprise_user), "officer": queries(pujiang_officer)}
        for _ in range(4):
            draft(make_call(district_officer, rule=rule), pujiang_enterprise)
        after = {"enterprise": queries(enterprise_user), "officer": queries(pujiang_officer)}

        assert after == before

    def test_an_anonymous_visitor_is_sent_to_log_in(self, client):
        response = client.get(reverse("policies:calls"))

        assert response.status_code == 302 and "login" in response.url


# A call ----------------------------------------------------------------------------------------------


class TestDetail:
    def test_an_enterprise_reads_its_explanation_and_may_apply(self, client, district_officer, pujiang_enterprise):
        call = make_call(district_officer, rule={"all": [
            {"fact": "town", "op": "==", "value": "pujiang"},
            {"fact": "rd_ratio", "op": ">=", "value": 4},
        ]})  # fmt: skip

        html = page(client, user_of(pujiang_enterprise), "policies:call-detail", pk=call.pk)

        assert "贵企业的资格预判" in html and "研发投入占营收比例" in html and "待补充信息" in html
        assert "我要申报" in html and "营业执照" in html and "申请金额(万元)" in html

    def test_applying_starts_the_application_and_opens_it(self, client, district_call, pujiang_enterprise):
        client.force_login(user_of(pujiang_enterprise))

        response = client.post(reverse("policies:call-detail", kwargs={"pk": district_call.pk}))

        application = Application.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("policies:application", kwargs={"pk": application.pk})

    def test_a_refused_start_explains_why(self, client, district_officer, pujiang_enterprise):
        call = make_call(district_officer, open_date=date(2026, 6, 10))
        client.force_login(user_of(pujiang_enterprise))

        response = client.post(reverse("policies:call-detail", kwargs={"pk": call.pk}), follow=True)

        assert "申报尚未开始" in follow_messages(response) and not Application.objects.exists()
        assert "我要申报" not in response.content.decode()

    def test_an_officer_sees_the_edit_and_queue_links_but_no_apply_button(
        self, client, district_call, district_officer, pujiang_officer
    ):
        own = page(client, district_officer, "policies:call-detail", pk=district_call.pk)
        town = page(client, pujiang_officer, "policies:call-detail", pk=district_call.pk)

        assert reverse("policies:call-edit", kwargs={"pk": district_call.pk}) in own
        assert reverse("policies:call-edit", kwargs={"pk": district_call.pk}) not in town
        assert reverse("policies:call-applications", kwargs={"pk": district_call.pk}) in town
        assert "我要申报" not in own

    def test_a_draft_or_another_towns_call_is_not_found(self, client, pujiang_officer, xinzhuang_officer,
                                                        pujiang_enterprise):  # fmt: skip
        draft_call = make_call(pujiang_officer, status="draft")
        other = make_call(xinzhuang_officer)

        page(client, user_of(pujiang_enterprise), "policies:call-detail", 404, pk=draft_call.pk)
        page(client, user_of(pujiang_enterprise), "policies:call-detail", 404, pk=other.pk)
        page(client, pujiang_officer, "policies:call-detail", 404, pk=other.pk)


class TestCallForm:
    def test_an_officer_creates_a_call_with_yaml_fields(self, client, pujiang_officer):
        client.force_login(pujiang_officer)
        form = {
            "code": "pj-2026-hnte", "title": "高企认定申报", "kind": "high_tech", "region": "pujiang",
            "issuer": "浦江镇", "open_date": "2026-05-01", "close_date": "2026-06-30", "status": "published",
            "rule": "fact: town\nop: ==\nvalue: pujiang\n",
            "materials": "- {key: license, label: 营业执照}\n",
            "form_fields": "- {key: project, label: 项目名称, type: text, required: true}\n",
        }  # fmt: skip

        response = client.post(reverse("policies:call-new"), form)

        call = Call.objects.get(code="pj-2026-hnte")
        assert response.status_code == 302 and response.url == reverse("policies:call-detail", kwargs={"pk": call.pk})
        assert call.materials == [{"key": "license", "label": "营业执照", "required": True}]
        assert call.rule == {"fact": "town", "op": "==", "value": "pujiang"}

    def test_errors_are_shown_on_their_fields(self, client, pujiang_officer):
        client.force_login(pujiang_officer)
        form = {
            "code": "pj-bad", "title": "x", "kind": "other", "region": "pujiang", "issuer": "浦江镇",
            "open_date": "2026-05-01", "close_date": "2026-06-30", "status": "draft",
            "rule": "all:\n  - {fact: turnover, op: '>=', value: 1}\n", "materials": "- [oops\n",
        }  # fmt: skip

        response = client.post(reverse("policies:call-new"), form)

        html = response.content.decode()
        assert response.status_code == 400 and "YAML 格式错误(第" in html
        assert not Call.objects.exists()
        form["materials"] = ""
        response = client.post(reverse("policies:call-new"), form)
        assert response.status_code == 400 and "turnover" in response.content.decode()

    def test_the_edit_form_shows_the_stored_yaml_and_saves(self, client, pujiang_officer):
        call = make_call(pujiang_officer)
        client.force_login(pujiang_officer)

        html = page(client, pujiang_officer, "policies:call-edit", pk=call.pk)
        data = {**{k: v for k, v in call_data(pujiang_officer).items() if k != "code"}, "region": "pujiang",
                "title": "改过的标题", "rule": "", "materials": "", "form_fields": ""}  # fmt: skip
        response = client.post(reverse("policies:call-edit", kwargs={"pk": call.pk}), data)

        assert "key: license" in html and "label: 营业执照" in html
        call.refresh_from_db()
        assert response.status_code == 302 and call.title == "改过的标题" and call.materials == []

    def test_enterprises_and_other_towns_cannot_edit(self, client, pujiang_officer, xinzhuang_officer,
                                                     pujiang_enterprise):  # fmt: skip
        call = make_call(pujiang_officer)

        page(client, user_of(pujiang_enterprise), "policies:call-new", 403)
        page(client, user_of(pujiang_enterprise), "policies:call-edit", 403, pk=call.pk)
        page(client, xinzhuang_officer, "policies:call-edit", 404, pk=call.pk)


# An application --------------------------------------------------------------------------------------


class TestApplicationPage:
    def test_the_enterprise_fills_in_the_calls_own_form_and_saves_a_draft(self, client, district_call,
                                                                          pujiang_enterprise):  # fmt: skip
        application = draft(district_call, pujiang_enterprise, data={}, materials=())
        admin = user_of(pujiang_enterprise)
        url = reverse("policies:application", kwargs={"pk": application.pk})

        html = page(client, admin, "policies:application", pk=application.pk)
        response = client.post(url, {"project": "支架", "amount": "12.5", "start": "", "field": "生物医药"})

        assert 'name="amount"' in html and 'type="date"' in html and "技术领域" in html and "保存草稿" in html
        assert "提交申报" in html and "营业执照" in html and "创建申报" in html
        application.refresh_from_db()
        assert response.status_code == 302 and application.data == {"project": "支架", "amount": 12.5,
                                                                    "field": "生物医药"}  # fmt: skip

    def test_a_bad_value_is_shown_on_its_input_and_nothing_is_saved(self, client, district_call, pujiang_enterprise):
        application = draft(district_call, pujiang_enterprise, data={}, materials=())
        client.force_login(user_of(pujiang_enterprise))

        response = client.post(reverse("policies:application", kwargs={"pk": application.pk}),
                               {"project": "支架", "amount": "很多"})  # fmt: skip

        assert response.status_code == 400 and "请输入数字" in response.content.decode()
        application.refresh_from_db()
        assert application.data == {}

    def test_submitting_an_incomplete_application_names_what_is_missing(self, client, district_call,
                                                                        pujiang_enterprise):  # fmt: skip
        application = draft(district_call, pujiang_enterprise, data={}, materials=())
        client.force_login(user_of(pujiang_enterprise))

        response = client.post(reverse("policies:application", kwargs={"pk": application.pk}),
                               {"project": "支架", "submit": "1"})  # fmt: skip

        html = response.content.decode()
        assert response.status_code == 400 and "「申请金额(万元)」为必填项" in html
        assert "请上传以下材料:营业执照" in html
        application.refresh_from_db()
        assert application.status == "draft" and application.data == {}  # saved and submitted together, or neither

    def test_uploading_and_submitting_then_the_page_is_read_only(self, client, district_call, pujiang_enterprise):
        application = draft(district_call, pujiang_enterprise, materials=())
        client.force_login(user_of(pujiang_enterprise))
        upload_url = reverse("policies:material-upload", kwargs={"pk": application.pk})

        refused = client.post(upload_url, {"item": "license", "file": upload("执照.pdf", b"plain text, no document")},
                              follow=True)  # fmt: skip
        client.post(upload_url, {"item": "license", "file": upload("执照.pdf", PNG)})
        response = client.post(reverse("policies:application", kwargs={"pk": application.pk}),
                               {**GOOD_DATA, "submit": "1"}, follow=True)  # fmt: skip

        assert "不支持的文件类型" in follow_messages(refused)
        html = response.content.decode()
        assert "申报已提交" in follow_messages(response)
        application.refresh_from_db()
        assert application.status == "submitted"
        assert 'name="save"' not in html and 'name="submit"' not in html and 'type="file"' not in html
        assert "新型支架研发" in html and "执照.png" in html and "待镇预审" in html
        stale = client.post(reverse("policies:application", kwargs={"pk": application.pk}), {"project": "改"},
                            follow=True)  # fmt: skip
        assert "不能修改" in follow_messages(stale)

    def test_the_town_officer_sees_the_data_and_the_review_actions(self, client, district_call, pujiang_enterprise,
                                                                   pujiang_officer, district_officer):  # fmt: skip
        application = submitted(district_call, pujiang_enterprise)

        town = page(client, pujiang_officer, "policies:application", pk=application.pk)
        district = page(client, district_officer, "policies:application", pk=application.pk)

        assert "新型支架研发" in town and 'name="expected_status"' in town and 'value="submitted"' in town
        assert 'value="recommend"' in town and 'value="return"' in town and 'value="not_recommend"' in town
        assert "保存草稿" not in town and 'name="action"' not in district  # nothing for the district yet

    def test_a_review_action_moves_it_and_a_stale_one_shows_the_conflict(
        self, client, district_call, pujiang_enterprise, pujiang_officer
    ):
        colleague = factories.officer("pujiang", username="pj_colleague", display_name="王专员")
        application = submitted(district_call, pujiang_enterprise)
        url = reverse("policies:application-transition", kwargs={"pk": application.pk})
        client.force_login(colleague)
        client.post(url, {"action": "recommend", "expected_status": "submitted"})
        client.force_login(pujiang_officer)

        response = client.post(url, {"action": "return", "comment": "补充", "expected_status": "submitted"},
                               follow=True)  # fmt: skip

        text = follow_messages(response)
        assert "王专员" in text and "镇已推荐" in text and "请刷新页面" in text
        application.refresh_from_db()
        assert application.status == "recommended"
        assert "镇级推荐" in response.content.decode()  # the timeline

    def test_returning_without_a_comment_says_so(self, client, district_call, pujiang_enterprise, pujiang_officer):
        application = submitted(district_call, pujiang_enterprise)
        client.force_login(pujiang_officer)

        response = client.post(reverse("policies:application-transition", kwargs={"pk": application.pk}),
                               {"action": "return", "expected_status": "submitted"}, follow=True)  # fmt: skip

        assert "请填写意见" in follow_messages(response)

    def test_the_district_officer_decides_a_recommended_one(self, client, district_call, pujiang_enterprise,
                                                            pujiang_officer, district_officer):  # fmt: skip
        application = recommended(district_call, pujiang_enterprise, pujiang_officer)
        html = page(client, district_officer, "policies:application", pk=application.pk)
        client.post(reverse("policies:application-transition", kwargs={"pk": application.pk}),
                    {"action": "approve", "comment": "同意", "expected_status": "recommended"})  # fmt: skip

        assert 'value="approve"' in html and 'value="reject"' in html
        application.refresh_from_db()
        assert application.status == "approved"
        assert "区级通过" in page(client, user_of(pujiang_enterprise), "policies:application", pk=application.pk)

    def test_another_enterprise_or_town_gets_not_found(self, client, district_call, pujiang_enterprise,
                                                       xinzhuang_enterprise, xinzhuang_officer):  # fmt: skip
        application = submitted(district_call, pujiang_enterprise)
        material = application.materials.get()

        page(client, user_of(xinzhuang_enterprise), "policies:application", 404, pk=application.pk)
        page(client, xinzhuang_officer, "policies:application", 404, pk=application.pk)
        page(client, user_of(xinzhuang_enterprise), "policies:material-download", 404, pk=material.pk)
        client.force_login(user_of(xinzhuang_enterprise))
        post = client.post(reverse("policies:material-upload", kwargs={"pk": application.pk}), {"item": "license"})
        assert post.status_code == 404

    def test_an_officer_cannot_upload_or_submit_for_the_enterprise(self, client, district_call, pujiang_enterprise,
                                                                   pujiang_officer):  # fmt: skip
        application = draft(district_call, pujiang_enterprise)
        client.force_login(pujiang_officer)

        upload_response = client.post(reverse("policies:material-upload", kwargs={"pk": application.pk}),
                                      {"item": "audit", "file": upload()})  # fmt: skip
        save_response = client.post(reverse("policies:application", kwargs={"pk": application.pk}), {"project": "x"})

        assert upload_response.status_code == 403 and save_response.status_code == 403


class TestDownloads:
    def test_a_material_is_served_as_an_attachment_that_is_never_sniffed(
        self, client, district_call, pujiang_enterprise, pujiang_officer
    ):
        application = submitted(district_call, pujiang_enterprise)
        material = application.materials.get()
        client.force_login(pujiang_officer)

        response = client.get(reverse("policies:material-download", kwargs={"pk": material.pk}))
        assert_safe_download(response)

        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


# The queue and the export ------------------------------------------------------------------------------


class TestQueue:
    def test_the_queue_lists_the_towns_applications_and_filters_by_status(
        self, client, district_call, pujiang_enterprise, pujiang_officer
    ):
        other = factories.enterprise("pujiang", name="浦江第二企业")
        submitted(district_call, pujiang_enterprise)
        draft(district_call, other)
        client.force_login(pujiang_officer)
        url = reverse("policies:call-applications", kwargs={"pk": district_call.pk})

        everything = client.get(url).content.decode()
        only_submitted = client.get(url, {"status": "submitted"}).content.decode()

        assert pujiang_enterprise.name in everything and "浦江第二企业" in everything
        assert pujiang_enterprise.name in only_submitted and "浦江第二企业" not in only_submitted
        assert reverse("policies:call-export", kwargs={"pk": district_call.pk}) + "?status=submitted" in only_submitted

    def test_enterprises_have_no_queue_and_no_export(self, client, district_call, pujiang_enterprise):
        page(client, user_of(pujiang_enterprise), "policies:call-applications", 403, pk=district_call.pk)
        page(client, user_of(pujiang_enterprise), "policies:call-export", 403, pk=district_call.pk)

    def test_the_export_has_the_rows_in_scope_with_formulas_made_inert(
        self, client, district_call, pujiang_enterprise, xinzhuang_enterprise, pujiang_officer
    ):
        submitted(district_call, pujiang_enterprise, data={**GOOD_DATA, "project": "=HYPERLINK(\"http://x\")",
                                                           "summary": "@SUM(A1)"})  # fmt: skip
        draft(district_call, xinzhuang_enterprise, data={"project": "+1", "amount": -3})
        client.force_login(pujiang_officer)

        response = client.get(reverse("policies:call-export", kwargs={"pk": district_call.pk}))

        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
        rows = xlsx_rows(response)
        header, *body = rows
        assert header[0] == "企业名称" and "项目名称" in header and "材料:营业执照" in header
        assert len(body) == 1  # the xinzhuang draft is outside the town officer's scope
        row = dict(zip(header, body[0], strict=True))
        assert row["企业名称"] == pujiang_enterprise.name and row["状态"] == "待镇预审"
        assert row["项目名称"] == '\'=HYPERLINK("http://x")' and row["项目简介"] == "'@SUM(A1)"
        assert row["申请金额(万元)"] == 120.5 and row["资格预判"] == "符合"
        assert row["材料:营业执照"] == "营业执照.pdf"

    def test_the_district_export_has_both_towns_and_a_negative_number_stays_a_number(
        self, client, district_call, pujiang_enterprise, xinzhuang_enterprise, district_officer
    ):
        submitted(district_call, pujiang_enterprise)
        draft(district_call, xinzhuang_enterprise, data={"project": "-负号开头", "amount": -3})
        client.force_login(district_officer)

        response = client.get(reverse("policies:call-export", kwargs={"pk": district_call.pk}))

        rows = xlsx_rows(response)
        header, *body = rows
        by_name = {r[0]: dict(zip(header, r, strict=True)) for r in body}
        assert set(by_name) == {pujiang_enterprise.name, xinzhuang_enterprise.name}
        assert by_name[xinzhuang_enterprise.name]["项目名称"] == "'-负号开头"
        assert by_name[xinzhuang_enterprise.name]["申请金额(万元)"] == -3
