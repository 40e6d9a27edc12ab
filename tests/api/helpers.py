"""Registry data for the API tests, made through the real services."""

from sanlian.enterprises import services
from sanlian.enterprises.models import CertificationType
from tests import factories


def report(enterprise, year: int, *, status: str = "approved", actor=None, **data):
    """An annual report of `enterprise` for `year`, moved through the real review flow up to `status`."""
    actor = actor or factories.superuser()
    saved = services.annual_report_save(
        actor=actor, enterprise=enterprise, year=year, data=factories.report_data(**data)
    )
    if status in ("submitted", "approved", "returned"):
        saved = services.annual_report_transition(actor=actor, report=saved, action="submit")
    if status == "approved":
        saved = services.annual_report_transition(actor=actor, report=saved, action="approve")
    if status == "returned":
        saved = services.annual_report_transition(actor=actor, report=saved, action="return", comment="请补充")
    return saved


def certify(enterprise, type_code: str, *, year: int | None = None, actor=None, **data):
    return services.certification_add(
        actor=actor or factories.superuser(),
        enterprise=enterprise,
        data={"type": CertificationType.objects.get(code=type_code), "year": year, "issuer": "", **data},
    )


def bad_check(code: str) -> str:
    """The same code with a wrong check character."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return code[:-1] + next(c for c in alphabet if c != code[-1])
