"""Which page the crawl (tests/browser/test_every_page.py) opens, as whom, and why the other URL patterns are
not pages.

Every URL pattern of the URLconf (tests/security/walk.py's `url_patterns`) is in exactly one of VISIT (an
HTML page, opened by the role that may see it) or NOT_PAGES (a POST-only action, a file, a feed, a probe,
with the reason); a new pattern fails test_every_page.py until it is added to one of them.

The objects are the authorisation walk's world (tests/security/world.py): one object of each kind, owned by
the "B side". Objects are opened by their owner (the B enterprise's admin, 莘庄's officer, the reviewer…),
lists and forms by the role they are for, public pages anonymously.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.security.registry import PAGES, NoObject, Obj, Public
from tests.security.world import build_world

PASSWORD = "pw-123456"

# role → username of the B side's user who plays it (None: nobody signed in)
ROLE_USERS = {
    "anonymous": None,
    "enterprise": "b_admin",  # enterprise B's admin
    "officer": "b_xz_officer",  # 莘庄's town officer (TOTP second factor)
    "district": "b_reviewer",  # a district officer with a review assignment (TOTP second factor)
    "talent": "b_talent",
    "ambassador": "b_ambassador",
    "secretary": "b_secretary",  # 莘庄生物医药联盟's secretary
    "enrolling": "b_district",  # a district officer without a second factor yet: sees the enrolment page
}

A, E, OF, D, T, M, S = "anonymous", "enterprise", "officer", "district", "talent", "ambassador", "secretary"

VISIT = {
    # core
    "login": A,
    "inbox": E,
    "inbox-preferences": E,
    "api-tokens": E,
    "account-delete": T,
    "account-password": OF,
    "account-otp-enrol": "enrolling",
    "account-otp-verify": OF,  # checked during the officer's sign-in, before the code is typed
    "account-otp-backup-codes": OF,
    "audit": OF,
    "search:search": OF,
    "api:openapi-view": A,
    "certificate-verify": A,
    # enterprises
    "enterprises:directory": OF,
    "enterprises:create": OF,
    "enterprises:review-queue": OF,
    "enterprises:chain-nodes": OF,
    "enterprises:chain-node-edit": OF,
    "enterprises:detail": E,
    "enterprises:edit": E,
    "enterprises:report-new": E,
    "enterprises:report-edit": E,
    "enterprises:contact-add": E,
    "enterprises:certification-add": OF,
    "dashboard:cockpit": OF,
    # policies
    "policies:library": A,
    "policies:detail": A,  # a published policy (the world's own is a draft)
    "policies:calls": E,
    "policies:call-new": OF,
    "policies:call-detail": OF,
    "policies:call-edit": OF,
    "policies:call-applications": OF,
    "policies:application": E,
    "policies:mine": E,
    "policies:manage": OF,
    "policies:new": OF,
    "policies:parameters": OF,
    "policies:grants": OF,
    "policies:edit": OF,
    "policies:preview": OF,
    # talent
    "talent:home": T,
    "talent:apply": T,
    "talent:application": OF,
    "talent:reviews": D,
    "talent:review": D,
    "talent:ties": D,
    "talent:certificates": T,
    "talent:certificate": E,
    "talent:certificate-revoke": D,
    "talent:benefits": OF,
    "talent:benefit-request": T,
    "talent:ambassadors": OF,
    "talent:ambassador-new": OF,
    "talent:ambassador": OF,
    "talent:ambassador-edit": OF,
    "talent:leads": M,
    "talent:lead-new": M,
    "talent:lead": OF,
    "talent:leaderboard": OF,
    "talent:rounds": OF,
    "talent:round-new": D,
    "talent:round": OF,
    "talent:round-edit": D,
    "talent:notice-new": D,
    "talent:applications": OF,
    "talent:notices": A,
    "talent:notice": A,
    "talent:key-enterprises": OF,
    "talent:key-enterprise-new": OF,
    # chain
    "chain:map": OF,
    "chain:node": OF,
    "chain:edges": OF,
    "chain:gaps": OF,
    "chain:review-queue": OF,
    "chain:postings": E,
    "chain:posting-new": E,
    "chain:interests": E,
    "chain:posting": E,
    "chain:posting-edit": E,
    "chain:events": A,
    "chain:event-new": OF,
    "chain:event": OF,
    "chain:event-edit": OF,
    "chain:event-schedules": OF,
    "chain:event-schedule": E,  # B's own schedule at the open event where it has a meeting
    # service desk
    "servicedesk:requests": OF,
    "servicedesk:request-new": E,
    "servicedesk:request": E,
    "servicedesk:routing": OF,
    "servicedesk:visits": OF,
    "servicedesk:visit-new": OF,
    "servicedesk:visit": OF,
    "servicedesk:providers": OF,
    "servicedesk:provider-new": OF,
    "servicedesk:provider": OF,
    "servicedesk:provider-edit": OF,
    "servicedesk:provider-service-new": OF,
    "servicedesk:provider-service-edit": OF,
    "servicedesk:ip": OF,
    "servicedesk:ip-portfolio": E,
    "servicedesk:ip-new": E,
    "servicedesk:ip-edit": E,
    "servicedesk:ip-import": OF,
    # space
    "space:search": A,
    "space:listing": E,
    "space:manage": E,
    "space:listing-new": E,
    "space:manage-listing": E,
    "space:listing-edit": E,
    "space:requests": E,
    "space:request-new": E,
    "space:request": E,
    # imports
    "imports:start": OF,
    "imports:job": OF,
    "imports:mapping": OF,
    # organisations
    "orgs:list": A,
    "orgs:detail": A,
    "orgs:apply": T,
    "orgs:members": S,
    "orgs:applications": S,
    "orgs:documents": S,
    # community events
    "events:list": A,
    "events:mine": E,
    "events:manage": OF,
    "events:new": OF,
    "events:detail": OF,
    "events:edit": OF,
    "events:registrations": OF,
    "events:check-in": OF,
    "events:scan": OF,
    "events:survey": OF,
    "events:survey-results": OF,
    "events:documents": OF,
    "events:photos": OF,
    "events:document-verify": A,
    # news
    "news:list": A,
    "news:mine": OF,
    "news:review": OF,
    "news:manage": OF,
    "news:new": OF,
    "news:detail": OF,
    "news:edit": OF,
}

POST = "a POST-only action (a button on another page; GET answers 405)"
FILE = "a file download (through sanlian/core/downloads.py), not HTML"
XLSX = "an Excel export or template, not HTML"
YAML = "a YAML export, not HTML"

NOT_PAGES = {
    "home": "redirects to the role's own home page, which is visited as that page",
    "logout": POST,
    "care-mode": POST,
    "set_language": "Django's language switch, posted by the header's form (a GET only redirects back)",
    "api-token-revoke": POST,
    "inbox-read": POST,
    "healthz": "a JSON probe for the load balancer",
    "readyz": "a JSON readiness probe",
    "api:openapi-json": "the API's OpenAPI document (JSON)",
    "^media/(?P<path>.*)$": "DEBUG-only static serve of MEDIA_ROOT; not routed in production",
    "enterprises:report-transition": POST,
    "enterprises:contact-reveal": POST,
    "enterprises:contact-remove": POST,
    "orgs:member-reveal": POST,
    "servicedesk:provider-reveal": POST,
    "dashboard:export": XLSX,
    "policies:call-export": XLSX,
    "policies:application-transition": POST,
    "policies:material-upload": POST,
    "policies:material-download": FILE,
    "policies:import": POST,
    "policies:parameter-new": POST,
    "policies:grant-decide": POST,
    "policies:attachment": FILE,
    "policies:quick-apply": POST,
    "policies:publish": POST,
    "policies:export": YAML,
    "policies:attachment-upload": POST,
    "talent:application-move": POST,
    "talent:material-upload": POST,
    "talent:reveal": POST,
    "talent:application-delete": POST,
    "talent:review-assign": POST,
    "talent:material": FILE,
    "talent:certificate-pdf": "a PDF certificate",
    "talent:benefit-decide": POST,
    "talent:ambassador-letter": "a PDF letter of appointment",
    "talent:lead-move": POST,
    "talent:round-export": YAML,
    "talent:round-status": POST,
    "talent:applications-export": XLSX,
    "talent:key-enterprise-terms": POST,
    "chain:gaps-export": XLSX,
    "chain:interest-move": POST,
    "chain:posting-move": POST,
    "chain:posting-review": POST,
    "chain:interest": POST,
    "chain:event-slots": POST,
    "chain:event-register": POST,
    "chain:meeting-request": POST,
    "chain:meeting-answer": POST,
    "chain:meeting-cancel": POST,
    "servicedesk:request-move": POST,
    "servicedesk:request-reply": POST,
    "servicedesk:attachment": FILE,
    "servicedesk:routing-remove": POST,
    "servicedesk:category-sla": POST,
    "servicedesk:provider-status": POST,
    "servicedesk:provider-request": POST,
    "servicedesk:provider-rate": POST,
    "servicedesk:provider-rating-hide": POST,
    "servicedesk:ip-lapse": POST,
    "servicedesk:ip-certificate": FILE,
    "servicedesk:ip-import-errors": XLSX,
    "servicedesk:ip-import-template": XLSX,
    "space:file": FILE,
    "space:file-remove": POST,
    "space:listing-move": POST,
    "space:listing-upload": POST,
    "space:viewing-book": POST,
    "space:request-close": POST,
    "space:viewing-move": POST,
    "imports:template": XLSX,
    "imports:errors": XLSX,
    "imports:progress": "an HTMX fragment that imports:job polls (checked inside that page)",
    "imports:confirm": "a POST action; a GET goes back to the import job's page",
    "orgs:application-decide": POST,
    "orgs:application-withdraw": POST,
    "orgs:member-role": POST,
    "orgs:member-remove": POST,
    "orgs:document": FILE,
    "orgs:document-remove": POST,
    "events:my-qr": "an SVG QR code (an image inside events:mine)",
    "events:cancel-mine": POST,
    "events:register": POST,
    "events:self-check-in": POST,
    "events:status": POST,
    "events:document-pdf": "a PDF document",
    "events:document-revoke": POST,
    "events:registration-decide": POST,
    "events:photo": "an image",
    "events:photo-remove": POST,
    "news:feed": "the Atom feed (XML)",
    "news:cover": "an image",
    "news:transition": POST,
}

# pages whose URL is not the walk's (the walk's objects are not public, or the page needs a query)
QUERIES = {"search:search": "?q=莘庄"}


def _extra_urls(world: dict) -> dict:
    o = world["objects"]
    return {
        "policies:detail": reverse("policies:detail", kwargs={"code": "xz-open"}),
        "talent:notice": reverse("talent:notice", kwargs={"pk": world["notice"].pk}),
        "chain:event-schedule": reverse("chain:event-schedule", kwargs={"pk": o["meeting"].event_id}),
    }


def crawl_world() -> dict:
    """The walk's world, committed, plus what its pages need to show something: a published notice (公示), an
    open round for the talent's application form, and passwords for the logins the world made without one."""
    from sanlian.core.models import User
    from sanlian.talent.models import Notice, Round

    world = build_world()
    now = timezone.now()
    round_ = world["objects"]["round"]
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.OPEN)
    world["notice"] = Notice.objects.create(
        round=round_, title="莘庄拟认定人选公示", start_date=timezone.localdate(), published_at=now,
        end_date=timezone.localdate() + timedelta(days=round_.notice_days - 1),
        published_by=User.objects.get(username="b_district"),
    )  # fmt: skip
    ambassador = User.objects.get(username="b_ambassador")
    ambassador.set_password(PASSWORD)
    ambassador.password_changed_at = now
    ambassador.save(update_fields=["password", "password_changed_at"])
    return world


def page_urls(world: dict) -> dict[str, list[tuple[str, str]]]:
    """role → [(pattern, path)] of every page to visit, in VISIT's order."""
    from tests.security.walk import page_url

    extra = _extra_urls(world)
    plan = {role: [] for role in ROLE_USERS}
    for key, role in VISIT.items():
        url = extra.get(key) or page_url(key, world)
        plan[role].append((key, url + QUERIES.get(key, "")))
    return plan


def post_only_urls(world: dict) -> list[tuple[str, str]]:
    from tests.security.walk import page_url

    return [(key, page_url(key, world)) for key, reason in NOT_PAGES.items() if reason == POST and key in PAGES]


assert not set(VISIT) & set(NOT_PAGES), "a pattern is either visited or listed, not both"
assert all(isinstance(PAGES.get(k), Obj | Public | NoObject) for k in VISIT), "VISIT names unknown patterns"
