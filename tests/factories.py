"""Test data made through the real services where a service exists (Zulip's convention)."""

from decimal import Decimal
from itertools import count

import factory
from django.utils import timezone

from sanlian.core.models import Role, User
from sanlian.core.validators import uscc_from_serial
from sanlian.enterprises import services
from sanlian.enterprises.models import ChainNode, Cluster, Region

_serial = count(1_000_000)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.django.Password("pw-123456")  # hashed directly: set_password's stamp is set here
    password_changed_at = factory.LazyFunction(timezone.now)
    display_name = factory.LazyAttribute(lambda u: u.username)


def officer(town_code: str = "pujiang", **kwargs) -> User:
    return UserFactory(role=Role.TOWN_OFFICER, region=region(town_code), **kwargs)


def district_officer(**kwargs) -> User:
    return UserFactory(role=Role.DISTRICT_OFFICER, region=region("minhang"), **kwargs)


def enterprise_user(enterprise, role=Role.ENTERPRISE_ADMIN, **kwargs) -> User:
    return UserFactory(role=role, enterprise=enterprise, **kwargs)


def org_secretary(**kwargs) -> User:
    return UserFactory(role=Role.ORG_SECRETARY, **kwargs)


def superuser() -> User:
    return UserFactory(is_superuser=True, is_staff=True)


def new_uscc() -> str:
    return uscc_from_serial(next(_serial))


def enterprise(town_code="pujiang", actor=None, chain_nodes=("M5",), **data):
    """Create an enterprise through `enterprise_create` as a superuser (or the given actor)."""
    actor = actor or superuser()
    town = region(town_code)
    defaults = {
        "name": f"测试生物科技有限公司{next(_serial)}",
        "industry_code": "3581",
        "is_biomedical": True,
        "cluster": Cluster.objects.get(code="devices"),
        "town": town,
    }
    defaults.update(data)
    nodes = list(ChainNode.objects.filter(code__in=chain_nodes))
    return services.enterprise_create(
        actor=actor,
        uscc=data.pop("uscc", None) or new_uscc(),
        data={k: v for k, v in defaults.items() if k != "uscc"},
        chain_nodes=nodes,
    )


def report_data(**overrides) -> dict:
    data = {
        "revenue": Decimal("12000000.00"),
        "tax": Decimal("800000.00"),
        "rd_spend": Decimal("1500000.00"),
        "employees": 80,
        "rd_staff": 20,
        "patents_invention": 3,
        "patents_utility": 5,
        "patents_design": 1,
    }
    data.update(overrides)
    return data
