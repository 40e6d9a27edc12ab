"""The community part of the demo (issue 7): the three organisations unveiled in 浦江镇 on 2024-05-20.

FACTS.md: the town unveiled 浦江镇生物医药产业联盟, 浦江镇生物医药知新会 (the city's first industry 知新会) and
浦江镇商会生物医药分会 at the talent-week opening. Their members, events and news are loaded by the modules
that own them; this one creates the organisations (keyed by code, so a second run writes nothing).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sanlian.community.models import Organisation
from sanlian.community.services.organisations import organisation_create
from sanlian.core.models import User
from sanlian.core.services import notification_preferences_save
from sanlian.enterprises.models import Region

UNVEILED = date(2024, 5, 20)
UNVEILED_AT = datetime(2024, 5, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ALLIANCE, THINK_TANK, CHAMBER = "pj-bio-alliance", "pj-bio-zhixin", "pj-chamber-bio"

ORGANISATIONS = (
    {
        "code": ALLIANCE,
        "name": "浦江镇生物医药产业联盟",
        "name_en": "Pujiang Biomedical Industry Alliance",
        "kind": Organisation.Kind.ALLIANCE,
        "description": "由浦江镇生物医药企业、园区与服务机构组成,推动产业链上下游协作、供需对接与公共服务共享。",
        "secretary": True,
    },
    {
        "code": THINK_TANK,
        "name": "浦江镇生物医药知新会",
        "name_en": "Pujiang Biomedical Zhixin Association",
        "kind": Organisation.Kind.THINK_TANK,
        "description": "全市首个产业知新会,汇聚生物医药行业党外知识分子和新的社会阶层人士,为产业发展建言献策的智库。",
        "secretary": False,
    },
    {
        "code": CHAMBER,
        "name": "浦江镇商会生物医药分会",
        "name_en": "Biomedical Branch of the Pujiang Chamber of Commerce",
        "kind": Organisation.Kind.CHAMBER,
        "description": "浦江镇商会下设的生物医药分会,服务会员企业经营发展,反映企业诉求。",
        "secretary": False,
    },
)


def ensure_organisations(*, users: dict[str, User]) -> dict[str, Organisation]:
    """The three organisations by code; org_secretary runs the alliance only (and is refused the others)."""
    town = Region.objects.get(code="pujiang")
    found = {o.code: o for o in Organisation.objects.filter(code__in=[spec["code"] for spec in ORGANISATIONS])}
    for spec in ORGANISATIONS:
        if spec["code"] in found:
            continue
        data = {k: v for k, v in spec.items() if k != "secretary"}
        secretaries = [users["org_secretary"]] if spec["secretary"] else []
        found[spec["code"]] = organisation_create(
            actor=users["pj_officer"],
            data={**data, "region": town, "founded_date": UNVEILED, "is_demo": True},
            secretaries=secretaries,
            now=UNVEILED_AT,
        )
    return found


def unload() -> int:
    count, _ = Organisation.objects.filter(is_demo=True).delete()
    return count


def set_preferences(*, users: dict[str, User], now: datetime) -> int:
    """Two officers who chose how they are told: pj_officer reads space news in the morning digest, the district
    officer takes the chain's many messages as a digest without the inbox badge."""
    rows = notification_preferences_save(
        user=users["pj_officer"], choices={"space": {"in_app": True, "email": "digest", "sms": False}}, now=now
    )
    return rows + notification_preferences_save(
        user=users["mh_officer"], choices={"chain": {"in_app": False, "email": "digest", "sms": False}}, now=now
    )
