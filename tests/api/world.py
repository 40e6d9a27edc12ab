"""A small demo-like world for the schema tests: one object of every kind the API reads and writes, in
浦江镇, made through the real services, with a district officer's and an enterprise admin's tokens."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from sanlian.chain.services import events as match_events
from sanlian.community.services import events as community_events
from sanlian.community.services.memberships import join_application_submit
from sanlian.core.services import api_token_create, notification_send
from sanlian.enterprises import services as registry
from sanlian.enterprises.models import Park
from sanlian.servicedesk.services.ip import ip_asset_add
from sanlian.space.services import listings, requests
from tests import factories
from tests.community.event_helpers import event_data
from tests.community.news_helpers import draft, published
from tests.community.org_helpers import organisation
from tests.servicedesk.ip_helpers import invention
from tests.servicedesk.provider_helpers import provider, service

from .helpers import report


@pytest.fixture
def world(db):
    now = timezone.now()
    officer = factories.district_officer()
    town_officer = factories.officer("pujiang")
    reviewer = factories.officer("pujiang")
    enterprise = factories.enterprise("pujiang", name="浦江结构测试有限公司")
    admin = factories.enterprise_user(enterprise)
    other = factories.enterprise_user(factories.enterprise("pujiang"))
    annual = report(enterprise, 2023, status="submitted")
    contact = registry.contact_save(
        actor=factories.superuser(), enterprise=enterprise, data={"name": "李四", "phone": "13900001111"}
    )
    asset = ip_asset_add(actor=factories.superuser(), enterprise=enterprise, data=invention())
    article = draft(town_officer)
    public_article = published(town_officer, reviewer, title="已发布的新闻")
    starts = now + timedelta(days=10)
    event = community_events.event_create(
        actor=town_officer,
        data=event_data(
            starts_at=starts, ends_at=starts + timedelta(hours=4), registration_opens_at=now - timedelta(days=1),
            registration_closes_at=starts - timedelta(days=1), capacity=50,
        ),
        now=now,
    )  # fmt: skip
    community_events.event_transition(actor=town_officer, event=event, action="publish", now=now)
    registration = community_events.registration_create(actor=other, event=event, now=now)
    mine = community_events.registration_create(actor=admin, event=event, now=now)
    secretary = factories.org_secretary()
    org = organisation(town_officer, secretaries=[secretary])
    application = join_application_submit(
        actor=other, organisation=org, kind="enterprise", statement="希望加入", now=now
    )
    landlord_listing = listings.listing_create(
        actor=admin,
        data={
            "title": "B栋3层湿实验室", "park": Park.objects.get(code="lingang-pujiang"), "building": "B栋",
            "floor": "3F", "kind": "wet_lab", "area": "650", "rent_yuan": "4.50",
            "available_date": timezone.localdate() + timedelta(days=30),
        },
        now=now,
    )  # fmt: skip
    space_request = requests.space_request_submit(actor=admin, data={"purpose": "研发中试", "area_min": "500"}, now=now)
    prov = provider(town_officer)
    service(town_officer, prov)
    match = match_events.event_save(
        actor=town_officer,
        data={"title": "供需对接会", "venue": "会议中心", "date": timezone.localdate() + timedelta(days=14),
              "description": "", "request_ttl_hours": 48},
        now=now,
    )  # fmt: skip
    match_events.slots_generate(actor=town_officer, event=match, start=time(9), end=time(10), minutes=20, now=now)
    match_events.event_set_status(actor=town_officer, event=match, status="open", now=now)
    notification_send(recipients=[admin, officer], title="测试消息")
    ids = {
        "/enterprises/{pk}": {"pk": enterprise.pk},
        "/enterprises/{pk}/eligibility": {"pk": enterprise.pk},
        "/enterprises/{pk}/contacts": {"pk": enterprise.pk},
        "/enterprises/{pk}/certifications": {"pk": enterprise.pk},
        "/enterprises/{pk}/ip": {"pk": enterprise.pk},
        "/enterprises/{pk}/annual-reports/{year}": {"pk": enterprise.pk, "year": 2024},
        "/annual-reports/{pk}": {"pk": annual.pk},
        "/annual-reports/{pk}/transition": {"pk": annual.pk},
        "/contacts/{pk}/reveal": {"pk": contact.pk},
        "/ip/assets/{pk}": {"pk": asset.pk},
        "/ip/assets/{pk}/lapse": {"pk": asset.pk},
        "/news/{pk}": {"pk": article.pk},
        "/news/{pk}/transition": {"pk": article.pk},
        "/events/{pk}": {"pk": event.pk},
        "/events/{pk}/registrations": {"pk": event.pk},
        "/events/{pk}/check-in": {"pk": event.pk},
        "/events/registrations/{pk}/cancel": {"pk": mine.pk},
        "/events/registrations/{pk}/decide": {"pk": registration.pk},
        "/orgs/{code}": {"code": org.code},
        "/orgs/{code}/applications": {"code": org.code},
        "/orgs/{code}/members": {"code": org.code},
        "/orgs/applications/{pk}/decide": {"pk": application.pk},
        "/orgs/applications/{pk}/withdraw": {"pk": application.pk},
        "/space/listings/{pk}": {"pk": landlord_listing.pk},
        "/space/listings/{pk}/transition": {"pk": landlord_listing.pk},
        "/space/requests/{pk}": {"pk": space_request.pk},
        "/space/requests/{pk}/close": {"pk": space_request.pk},
        "/space/requests/{pk}/viewings": {"pk": space_request.pk},
        "/desk/providers/{pk}": {"pk": prov.pk},
        "/desk/providers/{pk}/requests": {"pk": prov.pk},
        "/desk/providers/{pk}/ratings": {"pk": prov.pk},
        "/desk/providers/{pk}/reveal": {"pk": prov.pk},
        "/chain/events/{pk}": {"pk": match.pk},
        "/chain/events/{pk}/participants": {"pk": match.pk},
        "/chain/events/{pk}/meetings": {"pk": match.pk},
    }
    return {
        "ids": ids,
        "keys": {
            "officer": api_token_create(user=officer, name="schema")[1],
            "enterprise": api_token_create(user=admin, name="schema")[1],
        },
        "public_article": public_article,
    }
