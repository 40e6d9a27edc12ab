"""The provider catalogue demo: told through the real services, every kind present, safe to load twice."""

from collections import Counter

import pytest

from sanlian.core.models import User
from sanlian.demo import desk_providers
from sanlian.demo.services import demo_load, demo_unload
from sanlian.servicedesk import provider_selectors as selectors
from sanlian.servicedesk.models import Provider, ProviderRating, ProviderService, ServiceRequest

pytestmark = pytest.mark.django_db
SCALE = 0.05


def test_the_demo_lists_twenty_providers_with_requests_and_rated_spread_and_a_second_load_writes_nothing():
    first = demo_load(scale=SCALE)

    providers = Provider.objects.filter(is_demo=True)
    assert first.providers["providers"] == providers.count() == 20
    assert set(providers.values_list("kind", flat=True)) == set(Provider.Kind.values)
    per_provider = Counter(ProviderService.objects.values_list("provider", flat=True)).values()
    assert max(per_provider) <= 4 and sum(n >= 2 for n in per_provider) == 19  # the guarantee company has one
    linked = providers.exclude(enterprise=None).select_related("enterprise")
    assert len(linked) >= 2  # registered demo firms of S2/U5/M1/S5/S3+S5 (all five at full scale)
    assert all(p.name == p.enterprise.name for p in linked)
    scores = Counter(ProviderRating.objects.values_list("score", flat=True))
    assert scores == {5: 12, 4: 10, 3: 5, 2: 2, 1: 1}
    assert ProviderRating.objects.filter(hidden_at__isnull=False).count() == 1

    showcase_user = User.objects.get(username="ent_admin")
    mine = ServiceRequest.objects.filter(enterprise=showcase_user.enterprise, provider__isnull=False)
    assert set(mine.values_list("status", flat=True)) == {"closed", "resolved", "acknowledged", "submitted"}
    rateable = [r for p in providers for r in selectors.rateable_requests(showcase_user, p)]
    assert len(rateable) == 1  # ent_admin can show the rating step

    before = (Provider.objects.count(), ServiceRequest.objects.count(), ProviderRating.objects.count())
    second = demo_load(scale=SCALE)
    assert second.providers == {key: 0 for key in first.providers}
    assert (Provider.objects.count(), ServiceRequest.objects.count(), ProviderRating.objects.count()) == before

    demo_unload()
    assert not Provider.objects.exists() and not ServiceRequest.objects.exists()


def test_the_catalogue_data_is_consistent():
    for spec in desk_providers.CATALOGUE:
        assert 1 <= len(spec.offers) <= 4, spec.name
        for offer in spec.offers:
            assert offer.high is None or offer.low <= offer.high, offer.name
    assert len(desk_providers.CATALOGUE) == 20
    assert all(0 <= p < 20 and 1 <= score <= 5 for p, _, score, _, _ in desk_providers.RATED)
