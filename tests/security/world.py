"""The authorisation walk's world: two towns (浦江镇 and 莘庄镇) and, on the other side of every line the
permission layer draws, one object of every kind that has a URL.

The "A side" are the callers: enterprise A (浦江) with its admin and staff, the 浦江 town officer, a
district reviewer, a talent, and nobody (anonymous). The "B side" owns every object: enterprise B in 莘庄,
talent B, another reviewer, 莘庄's officer, an organisation of 莘庄 and its secretary. Every object is in a
state that is not public (drafts, unpublished listings, members-only documents), so no caller on the A
side has any business reading or changing it.

Objects are made through the real services where the service is simple to drive; a few talent records are
made with the ORM as tests/talent/certificate_helpers.py does.
"""

from datetime import date, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanlian.chain.services import events as match_events
from sanlian.chain.services import interests as interest_services
from sanlian.chain.services import postings as posting_services
from sanlian.community.models import OrgDocument
from sanlian.community.services import event_documents, event_photos, memberships
from sanlian.community.services import events as community_events
from sanlian.community.services.org_documents import org_document_add
from sanlian.core.models import Notification, Role
from sanlian.core.services import api_token_create, notification_send
from sanlian.enterprises import services as registry
from sanlian.enterprises.models import Park
from sanlian.imports.services import import_job_create
from sanlian.policies import services as policy_services
from sanlian.policies.services import calls as call_services
from sanlian.search.services import reindex
from sanlian.servicedesk.models import Category
from sanlian.servicedesk.services import providers as provider_services
from sanlian.servicedesk.services import requests as desk
from sanlian.servicedesk.services.ip import ip_asset_add
from sanlian.servicedesk.services.routing import routing_rule_set
from sanlian.servicedesk.services.visits import visit_record
from sanlian.space.services import listings
from sanlian.space.services import requests as space_requests
from sanlian.talent.models import ApplicationMaterial, Benefit, ReviewAssignment
from sanlian.talent.services.ambassadors import ambassador_appoint, lead_create
from sanlian.talent.services.certificates import certificate_issue
from sanlian.talent.services.key_enterprises import key_enterprise_designate
from tests import factories
from tests.api.helpers import report
from tests.community.news_helpers import draft as news_draft
from tests.community.org_helpers import organisation
from tests.policies.calls_data import call_data
from tests.policies.helpers import published_policy, version_data
from tests.servicedesk.ip_helpers import invention
from tests.talent.certificate_helpers import approved_application
from tests.talent.certificate_helpers import talent_user as make_talent

TOWN_RULE = {"all": [{"fact": "town", "op": "==", "value": "xinzhuang"}]}
TOWN_TESTS = [{"name": "莘庄", "facts": {"town": "xinzhuang"}, "expected": "eligible"}]

NEED = "采购细胞培养基定制服务,要求批量稳定供货。"

# Every B-side object carries this in a name or title, so a list page that leaks one shows it.
SECRET = "莘庄机密"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def build_world() -> dict:
    now = timezone.now()
    today = timezone.localdate()
    root = factories.superuser()

    # --- the callers (A side) ---------------------------------------------------------------------------
    ent_a = factories.enterprise("pujiang", name="浦江甲方生物有限公司")
    users = {
        "ent_admin": factories.enterprise_user(ent_a, username="a_admin"),
        "ent_staff": factories.enterprise_user(ent_a, role=Role.ENTERPRISE_STAFF, username="a_staff"),
        "town_officer": factories.officer("pujiang", username="a_pj_officer"),
        "reviewer": factories.district_officer(username="a_reviewer"),
        "talent": make_talent(username="a_talent"),
    }

    # --- the owners (B side) ----------------------------------------------------------------------------
    xz = factories.officer("xinzhuang", username="b_xz_officer")
    district = factories.district_officer(username="b_district")
    other_reviewer = factories.district_officer(username="b_reviewer")
    ent_b = factories.enterprise("xinzhuang", name=f"{SECRET}乙方生物有限公司")
    b_admin = factories.enterprise_user(ent_b, username="b_admin")
    ent_c = factories.enterprise("xinzhuang", name="莘庄丙方医疗有限公司")
    c_admin = factories.enterprise_user(ent_c, username="c_admin")
    talent_b = make_talent(username="b_talent")
    o = {}

    # enterprises
    o["enterprise"] = ent_b
    o["report"] = report(ent_b, 2023, status="submitted", actor=b_admin)
    o["contact"] = registry.contact_save(
        actor=root, enterprise=ent_b, data={"name": f"{SECRET}联系人", "phone": "13900002222"}
    )
    o["ip_asset"] = ip_asset_add(actor=root, enterprise=ent_b, data=invention(title=f"{SECRET}专利"))

    # policies: a draft of 莘庄, an attachment on it, a grant requested by B on a published policy
    draft_version = policy_services.policy_create(
        actor=xz, code="xz-secret", region=xz.region, data=version_data(title=f"{SECRET}政策", rule=TOWN_RULE, tests=[])
    )
    o["policy"] = draft_version.policy
    o["policy_attachment"] = policy_services.policy_attachment_add(actor=xz, policy=o["policy"], upload=pdf())
    published = published_policy(xz, code="xz-open", title="莘庄公开政策", rule=TOWN_RULE, tests=TOWN_TESTS)
    o["grant"] = policy_services.grant_request_quick(
        actor=b_admin, enterprise=ent_b, version=published, note="最新营收已更新"
    )
    o["call"] = call_services.call_save(
        actor=xz, data=call_data(xz, title=f"{SECRET}申报", open_date=today - timedelta(days=5),
                                 close_date=today + timedelta(days=30), status="draft"),
    )  # fmt: skip
    live_call = call_services.call_save(
        actor=xz, data=call_data(xz, open_date=today - timedelta(days=5), close_date=today + timedelta(days=30))
    )
    o["call_application"] = call_services.application_start(actor=b_admin, call=live_call, enterprise=ent_b)
    o["call_material"] = call_services.application_material_add(
        actor=b_admin, application=o["call_application"], item=live_call.materials[0]["key"], upload=pdf()
    )

    # talent: an approved application of talent B at enterprise B, its material, certificate, benefit and
    # a review assignment of another reviewer
    application = approved_application(employer=ent_b, applicant=talent_b, name=f"{SECRET}人才")
    o["talent_application"] = application
    o["talent_material"] = ApplicationMaterial.objects.create(
        application=application, item="degree", file=pdf(), name="学位证书.pdf", size=len(PDF), uploaded_at=now
    )
    o["certificate"] = certificate_issue(actor=None, application=application, now=now)
    o["benefit"] = Benefit.objects.create(
        application=application, kind=Benefit.Kind.SCHOOLING, requested_at=now, requested_by=talent_b
    )
    o["review"] = ReviewAssignment.objects.create(application=application, reviewer=other_reviewer, assigned_at=now)
    o["round"] = application.round
    o["key_enterprise"] = key_enterprise_designate(
        actor=district, enterprise=ent_b, year=2024, source_document="闵人才办〔2024〕1号"
    )
    o["ambassador"] = ambassador_appoint(
        actor=xz,
        data={"name": f"{SECRET}大使", "organisation": "波士顿生物医药协会", "field": "基因治疗",
              "overseas_region": "北美", "town": xz.region, "appointed_date": date(2024, 5, 20),
              "term_start_date": date(2024, 5, 20), "term_end_date": today + timedelta(days=365),
              "username": "b_ambassador"},
        now=now,
    )  # fmt: skip
    o["lead"] = lead_create(
        actor=xz, ambassador=o["ambassador"], data={"kind": "talent", "name": f"{SECRET}线索", "field": "细胞治疗"},
        now=now,
    )  # fmt: skip

    # chain: a draft posting of B, and B's interest in C's published posting
    posting_data = {
        "kind": "business_request", "title": f"{SECRET}需求", "description": NEED * 3,
        "nodes": ["M5"], "quantity": "50万支/年", "budget": "300000.00", "deadline_date": None,
    }  # fmt: skip
    o["posting"] = posting_services.posting_create(actor=b_admin, enterprise=ent_b, data=posting_data, now=now)
    c_posting = posting_services.posting_create(
        actor=c_admin, enterprise=ent_c, data={**posting_data, "title": "莘庄丙方需求"}, now=now
    )
    posting_services.posting_submit(actor=c_admin, posting=c_posting, now=now)
    posting_services.posting_review(actor=xz, posting=c_posting, action="publish", now=now)
    o["interest"] = interest_services.interest_express(actor=b_admin, posting=c_posting, note="", now=now)

    # chain matchmaking events: a draft of 莘庄 and an open one with a meeting between B and C
    o["match_event"] = match_events.event_save(
        actor=xz, data={"title": f"{SECRET}对接会", "venue": "莘庄会议中心", "date": today + timedelta(days=14),
                        "description": "", "request_ttl_hours": 48}, now=now,
    )  # fmt: skip
    open_match = match_events.event_save(
        actor=xz, data={"title": "莘庄公开对接会", "venue": "莘庄会议中心", "date": today + timedelta(days=14),
                        "description": "", "request_ttl_hours": 48}, now=now,
    )  # fmt: skip
    match_events.slots_generate(actor=xz, event=open_match, start=time(9), end=time(10), minutes=20, now=now)
    match_events.event_set_status(actor=xz, event=open_match, status="open", now=now)
    match_events.event_register(actor=b_admin, event=open_match, now=now)
    c_participant = match_events.event_register(actor=c_admin, event=open_match, now=now)
    o["meeting"] = match_events.meeting_request(
        actor=b_admin, event=open_match, recipient=c_participant, slot=open_match.slots.first(), message="", now=now
    )

    # service desk
    o["desk_request"] = desk.request_submit(
        actor=b_admin, data={"category": "policy", "title": f"{SECRET}诉求", "body": "请问本年度研发投入补贴如何申报?"},
        attachments=[pdf()], now=now,
    )  # fmt: skip
    o["desk_attachment"] = o["desk_request"].attachments.get()
    o["routing_rule"] = routing_rule_set(actor=xz, town=xz.region, category=None, officer=xz, now=now)
    o["visit"] = visit_record(
        actor=xz, enterprise=ent_b, data={"visited_date": today, "notes": f"{SECRET}走访记录,经营正常。", "flags": []},
        now=now,
    )  # fmt: skip
    prov_data = {
        "name": f"{SECRET}代理事务所", "kind": "ip_agency", "region": xz.region, "regions_served": [xz.region],
        "description": "为生物医药企业提供专业服务,响应及时。", "switchboard": "021-54321000",
        "email": "service@example.cn",
    }  # fmt: skip
    o["provider"] = provider_services.provider_create(actor=xz, data=prov_data, now=now)
    o["provider_service"] = provider_services.provider_service_create(
        actor=xz, provider=o["provider"],
        data={"name": "发明专利申请代理", "price_min": "5000", "price_max": "12000", "unit": "per_case",
              "turnaround_days": "30"},
        now=now,
    )  # fmt: skip

    # a listed provider is in every enterprise's catalogue by design; a suspended one is its town's business
    provider_services.provider_transition(
        actor=xz, provider=o["provider"], action="suspend", reason="资质复核", now=now
    )

    # space: a draft listing of B in a park of 莘庄 with a file, B's request, and a viewing
    park = Park.objects.create(code="xz-park", name="莘庄测试园区", town=xz.region)
    listing_data = {
        "title": f"{SECRET}厂房", "park": park, "building": "B栋", "floor": "3F", "kind": "wet_lab", "area": "650",
        "rent_yuan": "4.50", "available_date": today + timedelta(days=30),
    }  # fmt: skip
    o["listing"] = listings.listing_create(actor=b_admin, data=listing_data, now=now)
    o["listing_file"] = listings.listing_file_add(
        actor=b_admin, listing=o["listing"], kind="floor_plan", upload=pdf("平面图.pdf"), now=now
    )
    o["space_request"] = space_requests.space_request_submit(
        actor=b_admin, data={"purpose": f"{SECRET}研发中试", "area_min": "500"}, now=now
    )
    shown = listings.listing_create(actor=c_admin, data={**listing_data, "title": "莘庄公开厂房"}, now=now)
    listings.listing_transition(actor=c_admin, listing=shown, action="submit", now=now)
    listings.listing_transition(actor=xz, listing=shown, action="publish", now=now)
    o["viewing"] = space_requests.viewing_book(
        actor=b_admin, request=o["space_request"], listing=shown,
        starts_at=(now + timedelta(days=3)).replace(hour=2, minute=0, second=0, microsecond=0), now=now,
    )  # fmt: skip

    # imports
    o["import_job"] = import_job_create(
        actor=xz, kind="enterprises", upload=SimpleUploadedFile("企业.csv", "统一社会信用代码,企业名称\n".encode())
    )

    # community: an organisation of 莘庄 with a member, an application and a members-only document
    secretary = factories.org_secretary(username="b_secretary")
    # an organisation's name and profile are public; what is not is its members, applications, documents
    org = organisation(xz, code="xz-alliance", name="莘庄生物医药联盟", secretaries=[secretary])
    o["organisation"] = org
    o["org_application"] = memberships.join_application_submit(
        actor=c_admin, organisation=org, kind="enterprise", statement="希望加入", now=now
    )
    b_application = memberships.join_application_submit(
        actor=b_admin, organisation=org, kind="enterprise", statement="希望加入", now=now
    )
    memberships.join_application_transition(actor=secretary, application=b_application, action="approve", now=now)
    o["member"] = org.members.get(enterprise=ent_b)
    o["org_document"] = org_document_add(
        actor=secretary, organisation=org, title=f"{SECRET}纪要", visibility=OrgDocument.Visibility.MEMBERS,
        upload=pdf(), now=now,
    )  # fmt: skip

    # community events: a draft of 莘庄, and a published one with B's registration, a document and a photo
    starts = now + timedelta(days=10)
    event_fields = {
        "title": f"{SECRET}论坛", "kind": "forum", "venue": "莘庄会议中心", "starts_at": starts,
        "ends_at": starts + timedelta(hours=4), "capacity": 50, "registration_opens_at": now - timedelta(days=1),
        "registration_closes_at": starts - timedelta(days=1),
    }  # fmt: skip
    o["event"] = community_events.event_create(actor=xz, data=event_fields, now=now)
    live = community_events.event_create(actor=xz, data={**event_fields, "title": "莘庄公开论坛"}, now=now)
    community_events.event_transition(actor=xz, event=live, action="publish", now=now)
    o["registration"] = community_events.registration_create(actor=b_admin, event=live, now=now)
    batch = event_documents.document_batch_start(
        actor=xz, event=live, kind="quality_enterprise", enterprises=[ent_b], now=now
    )
    event_documents.document_batch_render(batch_id=batch.pk, now=now)
    o["event_document"] = batch.documents.get()
    o["photo"] = event_photos.event_photo_add(actor=xz, event=o["event"], upload=png(), caption=SECRET, now=now)

    # news: a draft of 莘庄
    o["article"] = news_draft(xz, title=f"{SECRET}新闻", now=now)

    # core: B's API token and notification
    o["token"] = api_token_create(user=b_admin, name="b")[0]
    notification_send(recipients=[b_admin], title=f"{SECRET}通知")
    o["notification"] = Notification.objects.get(recipient=b_admin, title=f"{SECRET}通知")
    o["category"] = Category.objects.first()
    # the services refresh the search index after commit, which a rolled-back world never reaches
    reindex()
    keys = {role: api_token_create(user=user, name="walk")[1] for role, user in users.items()}
    return {
        "users": users,
        "keys": keys,
        "objects": o,
        "ent_a": ent_a,
        "owners": {"ent_b": b_admin, "xz": xz, "reviewer_b": other_reviewer},
    }
