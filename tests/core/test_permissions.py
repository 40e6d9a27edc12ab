import pytest

from sanlian.core.permissions import has_perm, in_scope, scope_queryset
from sanlian.enterprises.models import AnnualReport, Enterprise, Region
from tests import factories


@pytest.mark.django_db
class TestRegionScope:
    def test_a_district_scope_covers_its_towns_and_a_town_scope_only_itself(self, pujiang_officer, district_officer):
        towns = lambda user: set(scope_queryset(user, Region.objects.all()).values_list("code", flat=True))  # noqa: E731
        assert towns(pujiang_officer) == {"pujiang"}
        assert {"pujiang", "xinzhuang", "minhang"} <= towns(district_officer)
        assert "shanghai" not in towns(district_officer)

    def test_scoped_querysets_follow_the_declared_paths(
        self, pujiang_officer, enterprise_admin, pujiang_enterprise, xinzhuang_enterprise
    ):
        assert list(scope_queryset(pujiang_officer, Enterprise.objects.all())) == [pujiang_enterprise]
        assert list(scope_queryset(enterprise_admin, Enterprise.objects.all())) == [pujiang_enterprise]
        assert in_scope(enterprise_admin, pujiang_enterprise) and not in_scope(enterprise_admin, xinzhuang_enterprise)

    def test_an_officer_without_a_region_sees_nothing(self, db, pujiang_enterprise):
        lost = factories.UserFactory(role="town_officer", region=None)
        assert not scope_queryset(lost, Enterprise.objects.all()).exists()

    def test_a_talent_or_anonymous_user_sees_no_registry(self, db, pujiang_enterprise):
        from django.contrib.auth.models import AnonymousUser

        talent = factories.UserFactory(role="talent")
        assert not scope_queryset(talent, AnnualReport.objects.all()).exists()
        assert not has_perm(AnonymousUser(), "enterprise.view")
        assert not has_perm(talent, "cockpit.view")

    @pytest.mark.parametrize(
        "action,allowed",
        [
            ("report.review", False),
            ("report.submit", True),
            ("enterprise.create", False),
            ("contact.reveal", True),
        ],
    )
    def test_enterprise_admins_may_do_their_own_work_only(self, enterprise_admin, pujiang_enterprise, action, allowed):
        assert has_perm(enterprise_admin, action, pujiang_enterprise) is allowed
