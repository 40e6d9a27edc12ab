"""The organisations' demo: members, applications and charters through the real services, safe to load twice."""

import pytest

from sanlian.community.models import JoinApplication, Member, OrgDocument
from sanlian.community.org_selectors import leaders, membership_of
from sanlian.core.models import User
from sanlian.demo.community import ALLIANCE, CHAMBER, THINK_TANK
from sanlian.demo.services import demo_load, demo_unload

pytestmark = pytest.mark.django_db
SCALE = 0.05


def test_the_demo_fills_the_three_organisations_and_a_second_load_writes_nothing():
    first = demo_load(scale=SCALE)

    active = Member.objects.filter(left_date__isnull=True)
    assert active.filter(organisation__code=THINK_TANK, kind="person").count() == 20
    assert active.filter(organisation__code=ALLIANCE, kind="enterprise").count() >= 10
    assert active.filter(organisation__code=CHAMBER).count() >= 10
    assert all(m.joined_date.isoformat() >= "2024-05-20" for m in Member.objects.all())
    ent_admin, secretary = User.objects.get(username="ent_admin"), User.objects.get(username="org_secretary")
    alliance = secretary.organisations_run.get()
    assert membership_of(ent_admin, alliance).role == "vice_president"
    assert {m.role for m in leaders(alliance)} >= {"president", "vice_president", "secretary_general"}
    pending = JoinApplication.objects.filter(status="pending")
    assert pending.filter(organisation=alliance).count() == 3
    assert pending.filter(organisation__code=CHAMBER, enterprise=ent_admin.enterprise).exists()
    assert JoinApplication.objects.filter(status="rejected").count() == 1
    assert OrgDocument.objects.filter(visibility="public").count() == 3
    assert first.community["members"] == Member.objects.count()

    before = (Member.objects.count(), JoinApplication.objects.count(), OrgDocument.objects.count())
    second = demo_load(scale=SCALE)

    assert set(second.community.values()) == {0}
    assert (Member.objects.count(), JoinApplication.objects.count(), OrgDocument.objects.count()) == before
    demo_unload()
    assert not Member.objects.exists() and not OrgDocument.objects.exists()
