"""Provider catalogue test data, made through the real services."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sanlian.servicedesk.services import providers as services
from sanlian.servicedesk.services import requests as desk
from tests import factories

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 9, 29, 10, 0, tzinfo=SH)  # a Monday


def provider(actor, *, name="浦江知识产权代理事务所", kind="ip_agency", region="pujiang", **extra):
    data = {
        "name": name,
        "kind": kind,
        "region": factories.region(region),
        "regions_served": [factories.region(region)],
        "description": "为生物医药企业提供专业服务,响应及时。",
        "switchboard": "021-54321000",
        "email": "service@example.cn",
        **extra,
    }
    return services.provider_create(actor=actor, data=data, now=NOW)


def service(actor, prov, *, name="发明专利申请代理", price_min="5000", price_max="12000", unit="per_case", **extra):
    data = {"name": name, "price_min": price_min, "price_max": price_max, "unit": unit, "turnaround_days": "30"}
    return services.provider_service_create(actor=actor, provider=prov, data={**data, **extra}, now=NOW)


def ask(user, svc, now=NOW):
    data = {"title": f"委托:{svc.name}", "body": "我司有一项检测试剂盒的发明需要申请专利,请帮忙对接。"}
    return desk.request_submit(actor=user, data=data, provider_service=svc, now=now)


def closed(user, officer, svc, now=NOW):
    """A request through the provider taken, answered and confirmed: ready to rate."""
    request = ask(user, svc, now)
    desk.request_transition(actor=officer, request=request, action="acknowledge", now=now + timedelta(hours=1))
    desk.request_transition(
        actor=officer, request=request, action="resolve", note="已对接机构并完成委托。", now=now + timedelta(days=2)
    )
    return desk.request_transition(actor=user, request=request, action="confirm", now=now + timedelta(days=3))
