"""The walk's controls: the objects it is refused are there and reachable by their owners through the same URLs,
so a refusal in the walk is the permission layer's doing, not a wrong id."""

import pytest
from django.test import Client
from django.urls import reverse

from .registry import PAGES
from .test_walk import text_of
from .walk import page_url
from .world import SECRET

# (owner, pattern): the owner on the B side who may open the pattern's object.
CONTROLS = [
    ("ent_b", "enterprises:detail"), ("ent_b", "enterprises:report-edit"), ("ent_b", "servicedesk:request"),
    ("ent_b", "servicedesk:attachment"), ("ent_b", "chain:posting"), ("ent_b", "space:manage-listing"),
    ("ent_b", "space:request"), ("ent_b", "policies:application"), ("ent_b", "policies:material-download"),
    ("ent_b", "talent:certificate"), ("ent_b", "servicedesk:ip-portfolio"), ("ent_b", "events:my-qr"),
    ("xz", "enterprises:detail"), ("xz", "servicedesk:visit"), ("xz", "imports:job"), ("xz", "news:edit"),
    ("xz", "events:edit"), ("xz", "policies:edit"), ("xz", "policies:call-detail"), ("xz", "talent:application"),
    ("xz", "talent:ambassador"), ("xz", "talent:lead"), ("xz", "chain:event"), ("xz", "servicedesk:provider"),
    ("xz", "policies:attachment"), ("xz", "orgs:members"), ("reviewer_b", "talent:review"),
]  # fmt: skip


@pytest.mark.parametrize(("owner", "key"), CONTROLS, ids=[f"{k}|{o}" for o, k in CONTROLS])
def test_the_owner_opens_the_object_the_walk_is_refused(world, db, owner, key):
    assert key in PAGES
    client = Client()
    client.force_login(world["owners"][owner])

    response = client.get(page_url(key, world))

    assert response.status_code == 200, f"{key} as its owner {owner}: {response.status_code}"


def test_the_callers_open_their_own_enterprise(world, db):
    client = Client()
    client.force_login(world["users"]["ent_staff"])

    assert client.get(reverse("enterprises:detail", kwargs={"pk": world["ent_a"].pk})).status_code == 200


def test_the_other_towns_officer_exports_the_directory_with_its_enterprise_so_the_export_check_can_fail(world, db):
    client = Client()
    client.force_login(world["owners"]["xz"])

    response = client.get(reverse("enterprises:directory"), {"format": "xlsx"})

    assert response.status_code == 200 and SECRET in text_of(response)
