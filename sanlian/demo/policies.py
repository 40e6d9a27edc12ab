"""The policy part of the demo: dated parameters, the policy library, calls and applications.

Everything is written through the policy, calls and registry services, as an officer or an enterprise
user would, so the library has version history, audit events and inbox messages like real use. The
data live in `data/` (policy_parameters.yaml, policies/*.yaml in the format `policy_import_yaml`
reads, calls.yaml). Parameters and policies carry fixed historical times; the calls' windows are
counted from the load date so that they are open whenever the demo is loaded. Loading is keyed by
parameter name, policy code, call code and certificate number, so a second run writes nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from sanlian.core.models import Role, User
from sanlian.engines.rules import dump_yaml, load_yaml
from sanlian.enterprises import services as registry
from sanlian.enterprises.models import AnnualReport, Certification, CertificationType, Enterprise, Region
from sanlian.policies import services
from sanlian.policies.models import (
    Application,
    ApplicationMaterial,
    Call,
    EligibilityResult,
    Grant,
    Outcome,
    Parameter,
    ParameterValue,
    Policy,
)

from .generator import IMPORTED_AT, SEED, TZ

DATA = Path(__file__).parent / "data"
PARAMETERS_FILE = DATA / "policy_parameters.yaml"
POLICIES_DIR = DATA / "policies"
CALLS_FILE = DATA / "calls.yaml"
# Enterprise-admin accounts made for the enterprises that apply besides the showcase one.
APPLICANT_PREFIX = "demo-applicant-"
# Certification types the policies read that the registry generator does not issue.
CERT_TYPES = ("gmp", "device-license", "iso13485")
ISO_BODIES = ("中国质量认证中心", "北京国医械华光认证有限公司", "TÜV南德意志集团", "必维国际检验集团")


@dataclass
class PolicyLoadResult:
    parameters: int = 0
    policies: int = 0
    versions: int = 0
    certifications: int = 0
    calls: int = 0
    applications: int = 0
    results: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.parameters or self.policies or self.certifications or self.calls or self.applications)


def _yaml(path: Path):
    return load_yaml(path.read_text(encoding="utf-8"))


def _moment(value) -> datetime:
    """A YAML timestamp (aware or naive = Shanghai time) or date (10:00) as an aware datetime."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=TZ)
    if isinstance(value, date):
        return datetime.combine(value, time(10), tzinfo=TZ)
    return datetime.fromisoformat(str(value)).astimezone(TZ)


def policy_codes() -> list[str]:
    return sorted(path.stem for path in POLICIES_DIR.glob("*.yaml"))


# Parameters ---------------------------------------------------------------------------------------


def _parameters_ensure(users: dict, result: PolicyLoadResult) -> None:
    for spec in _yaml(PARAMETERS_FILE):
        if Parameter.objects.filter(name=spec["name"]).exists():
            continue
        actor = users[spec.get("by", "mh_officer")]
        fields = ("name", "label", "label_en", "type", "unit", "source_clause", "key_fact")
        parameter = services.parameter_create(
            actor=actor, data={k: spec[k] for k in fields if k in spec}, now=_moment(spec["created"])
        )
        for value in spec["values"]:
            services.parameter_value_record(
                actor=actor,
                parameter=parameter,
                value=value["value"],
                key=str(value.get("key", "")),
                effective_date=value["effective"],
                note=value.get("note", ""),
                now=_moment(value["recorded"]),
            )
        result.parameters += 1


# Certifications the policies read (GMP, device licences, ISO 13485) ----------------------------------


def _certificate(number: str, issued: date, years: int, **extra) -> dict:
    until = issued.replace(year=issued.year + years) - timedelta(days=1)
    return {"number": number, "year": issued.year, "valid_from_date": issued, "valid_until_date": until, **extra}


def _planned_certifications() -> list[tuple[str, str, dict]]:
    """(uscc, type code, fields) for demo manufacturers, drawn from a seeded generator."""
    rng = random.Random(f"{SEED}:policy-certifications")
    enterprises = (
        Enterprise.objects.filter(is_demo=True, is_biomedical=True, founded_date__year__lte=2022)
        .prefetch_related("chain_nodes")
        .order_by("uscc")
    )
    showcase_uscc = _showcase_uscc()
    planned = []
    for e in enterprises:
        nodes = {n.code for n in e.chain_nodes.all()}
        showcase = e.uscc == showcase_uscc
        issued = date(rng.randint(max(e.founded_date.year + 1, 2020), 2025), rng.randint(1, 12), rng.randint(1, 28))
        # Drug makers and CDMOs pass GMP inspections; device makers hold a licence and ISO 13485.
        if nodes & {"M1", "M2", "M3", "M4"} and rng.random() < 0.35:
            number = f"SH{issued.year}{len(planned) + 1:04d}"
            planned.append((e.uscc, "gmp", _certificate(number, issued, 5)))
        if "M5" in nodes and (showcase or rng.random() < 0.4):
            number = f"沪药监械生产许{issued.year}{len(planned) + 1:04d}号"
            planned.append((e.uscc, "device-license", _certificate(number, issued, 5)))
        if nodes & {"M5", "U4"} and (showcase or rng.random() < 0.35):
            number = f"ISO13485-{issued.year}-{len(planned) + 1:05d}"
            fields = _certificate(number, issued, 3, issuer=rng.choice(ISO_BODIES))
            planned.append((e.uscc, "iso13485", fields))
    return planned


def _showcase_uscc() -> str:
    user = User.objects.filter(username="ent_admin").select_related("enterprise").first()
    return user.enterprise.uscc if user and user.enterprise_id else ""


def _certifications_ensure(users: dict, result: PolicyLoadResult) -> None:
    types = {t.code: t for t in CertificationType.objects.filter(code__in=CERT_TYPES)}
    if len(types) < len(CERT_TYPES):
        return  # an older database: `sanlian loadreference` adds the types
    planned = _planned_certifications()
    enterprises = {
        e.uscc: e for e in Enterprise.objects.filter(uscc__in={u for u, _, _ in planned}).select_related("town")
    }
    existing = set(
        Certification.objects.filter(type__code__in=CERT_TYPES, enterprise__uscc__in=enterprises).values_list(
            "enterprise__uscc", "type__code", "number"
        )
    )
    officers = {u.region.code: u for u in users.values() if u.role == Role.TOWN_OFFICER and u.region_id}
    for n, (uscc, code, fields) in enumerate(planned):
        if (uscc, code, fields["number"]) in existing:
            continue
        enterprise = enterprises[uscc]
        actor = officers.get(enterprise.town.code, users["mh_officer"])
        # Entered once the platform was live, in the order of the list.
        when = max(datetime.combine(fields["valid_from_date"], time(10), tzinfo=TZ), IMPORTED_AT + timedelta(days=14))
        registry.certification_add(
            actor=actor, enterprise=enterprise, data={"type": types[code], **fields}, now=when + timedelta(minutes=n)
        )
        result.certifications += 1


# Policies -----------------------------------------------------------------------------------------


def _import_and_publish(document: dict, *, actor, region, published_at: datetime) -> None:
    drafted_at = published_at - timedelta(days=3)
    services.policy_import_yaml(actor=actor, text=dump_yaml(document), default_region=region, now=drafted_at)
    services.policy_publish(actor=actor, policy=Policy.objects.get(code=document["code"]), now=published_at)


def _policies_ensure(users: dict, result: PolicyLoadResult) -> None:
    regions = {r.code: r for r in Region.objects.filter(code__in=["minhang", "pujiang"])}
    actors = {"minhang": users["mh_officer"], "pujiang": users["pj_officer"]}
    for code in policy_codes():
        if Policy.objects.filter(code=code).exists():
            continue
        document = _yaml(POLICIES_DIR / f"{code}.yaml")
        demo = document.pop("demo", None) or {}
        region = document["region"]
        for earlier in demo.get("earlier", []):
            overrides = {k: v for k, v in earlier.items() if k != "published_at"}
            _import_and_publish(
                {**document, **overrides},
                actor=actors[region],
                region=regions[region],
                published_at=_moment(earlier["published_at"]),
            )
            result.versions += 1
        _import_and_publish(
            document, actor=actors[region], region=regions[region], published_at=_moment(demo["published_at"])
        )
        result.versions += 1
        result.policies += 1


# Calls and applications -----------------------------------------------------------------------------


def demo_pdf(title: str) -> bytes:
    """A one-page PDF (valid cross-reference table) standing in for an uploaded document."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 770 Td (Sanlian demo material: " + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _fill(value, year: int):
    return value.replace("{year}", str(year)) if isinstance(value, str) else value


def _calls_ensure(users: dict, today: date, result: PolicyLoadResult) -> dict[str, Call]:
    regions = {r.code: r for r in Region.objects.all()}
    calls = {}
    for spec in _yaml(CALLS_FILE)["calls"]:
        existing = Call.objects.filter(code=spec["code"]).first()
        if existing:
            calls[spec["code"]] = existing
            continue
        opens = today + timedelta(days=spec["open_in_days"])
        actor = users[spec["by"]]
        data = {
            "code": spec["code"],
            "title": _fill(spec["title"], today.year),
            "kind": spec["kind"],
            "region": regions[spec["region"]],
            "policy": Policy.objects.filter(code=spec["policy"]).first() if spec.get("policy") else None,
            "issuer": spec["issuer"],
            "description": spec.get("description", ""),
            "open_date": opens,
            "close_date": today + timedelta(days=spec["close_in_days"]),
            "rule": spec.get("rule") or {},
            "materials": spec.get("materials") or [],
            "form_fields": spec.get("form_fields") or [],
            "status": Call.Status.DRAFT,
        }
        drafted = datetime.combine(opens - timedelta(days=3), time(15), tzinfo=TZ)
        call = services.call_save(actor=actor, data=data, now=drafted)
        call = services.call_save(
            actor=actor,
            call=call,
            data={"status": Call.Status.PUBLISHED},
            now=datetime.combine(opens, time(9), tzinfo=TZ),
        )
        calls[call.code] = call
        result.calls += 1
    return calls


def _applicant(enterprise: Enterprise) -> User:
    """The enterprise's demo admin account (no usable password: officers see its work, nobody logs in)."""
    username = APPLICANT_PREFIX + enterprise.uscc.lower()
    user = User.objects.filter(username=username).first()
    if user is None:
        contact = enterprise.contacts.order_by("-is_primary", "pk").first()
        user = User(
            username=username,
            role=Role.ENTERPRISE_ADMIN,
            enterprise=enterprise,
            display_name=contact.name if contact else "",
            date_joined=IMPORTED_AT,
        )
        user.set_unusable_password()
        user.save()
    return user


def _pick_enterprise(call: Call, town: str, taken: set[int], as_of: date) -> Enterprise | None:
    """The first demo enterprise of the town (by USCC) that the call finds eligible and is not taken."""
    reported = AnnualReport.objects.filter(status=AnnualReport.Status.APPROVED, year__gte=as_of.year - 2)
    candidates = (
        Enterprise.objects.filter(is_demo=True, town__code=town, pk__in=reported.values("enterprise_id"))
        .exclude(pk__in=taken)
        .order_by("uscc")
    )
    for enterprise in candidates.iterator():
        outcome, _ = services.call_eligibility(call=call, enterprise_id=enterprise.pk, as_of=as_of)
        if outcome == Outcome.ELIGIBLE:
            return enterprise
    return None  # a small demo (scale < 1) may have none


def _applications_ensure(users: dict, calls: dict[str, Call], today: date, result: PolicyLoadResult) -> None:
    showcase = users["ent_admin"].enterprise
    taken: set[int] = {showcase.pk}
    specs = _yaml(CALLS_FILE)["applications"]
    if Application.objects.filter(call__in=[c.pk for c in calls.values()]).exists():
        return  # made together on the first load
    for n, spec in enumerate(specs):
        call = calls[spec["call"]]
        start = datetime.combine(call.open_date + timedelta(days=1), time(9, 30), tzinfo=TZ) + timedelta(minutes=7 * n)
        if spec["enterprise"] == "showcase":
            enterprise, admin, staff = showcase, users["ent_admin"], users["ent_staff"]
            outcome, _ = services.call_eligibility(call=call, enterprise_id=enterprise.pk, as_of=start.date())
            if outcome == Outcome.NOT_ELIGIBLE:
                continue  # the services would refuse it (possible when loaded on another date)
        else:
            enterprise = _pick_enterprise(call, spec["enterprise"], taken, start.date())
            if enterprise is None:
                continue
            admin = staff = _applicant(enterprise)
        taken.add(enterprise.pk)
        application = services.application_start(actor=admin, call=call, enterprise=enterprise, now=start)
        data = {key: _fill(value, today.year) for key, value in (spec.get("data") or {}).items()}
        application = services.application_save(
            actor=staff, application=application, data=data, now=start + timedelta(minutes=20)
        )
        for i, item in enumerate(spec.get("materials") or []):
            upload = SimpleUploadedFile(f"{item}.pdf", demo_pdf(item), content_type="application/pdf")
            services.application_material_add(
                actor=staff, application=application, item=item, upload=upload, now=start + timedelta(minutes=30 + i)
            )
        result.applications += 1
        if spec["status"] == Application.Status.DRAFT:
            continue
        submitted = start + timedelta(days=1, hours=5)
        application = services.application_transition(
            actor=admin, application=application, action="submit", expected_status="draft", now=submitted
        )
        review = {"returned": "return", "recommended": "recommend"}.get(spec["status"])
        if review:
            officers = [u for u in users.values() if u.role == Role.TOWN_OFFICER and u.region_id == enterprise.town_id]
            services.application_transition(
                actor=officers[0],
                application=application,
                action=review,
                comment=spec.get("comment", ""),
                expected_status="submitted",
                now=submitted + timedelta(days=2, hours=-4),
            )


# Load and unload ----------------------------------------------------------------------------------


def load(*, users: dict, today: date | None = None, now: datetime | None = None) -> PolicyLoadResult:
    """Write the policy demo (inside the caller's transaction); `users` are the demo accounts by username."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    result = PolicyLoadResult()
    _parameters_ensure(users, result)
    _certifications_ensure(users, result)
    _policies_ensure(users, result)
    calls = _calls_ensure(users, today, result)
    _applications_ensure(users, calls, today, result)
    if result.changed:
        result.results = services.eligibility_refresh(now=now).changed
    return result


def unload() -> dict[str, int]:
    """Remove what `load` wrote (by parameter name, policy code and call code) and the applicant accounts."""
    calls = Call.objects.filter(code__in=[c["code"] for c in _yaml(CALLS_FILE)["calls"]])
    applications = Application.objects.filter(call__in=calls)
    files = [m.file for m in ApplicationMaterial.objects.filter(application__in=applications)]
    transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])  # only once the rows are gone
    applications.delete()
    call_count = calls.count()
    calls.delete()
    policies = Policy.objects.filter(code__in=policy_codes())
    # Grants protect the versions they were made under, so they go first.
    Grant.objects.filter(policy__in=policies).delete()
    EligibilityResult.objects.filter(policy__in=policies).delete()
    policy_count = policies.count()
    policies.delete()
    names = [p["name"] for p in _yaml(PARAMETERS_FILE)]
    ParameterValue.objects.filter(parameter__name__in=names).delete()
    parameters = Parameter.objects.filter(name__in=names)
    parameter_count = parameters.count()
    parameters.delete()
    applicants = User.objects.filter(username__startswith=APPLICANT_PREFIX, enterprise__is_demo=True)
    applicant_count = applicants.count()
    applicants.delete()
    return {"policies": policy_count, "parameters": parameter_count, "calls": call_count, "applicants": applicant_count}
