"""The registry in /api/v1: reference lists, enterprises and annual reports.

Each endpoint parses its input, asks the permission layer through a selector or `get_scoped`, and calls
one service. Out-of-scope objects answer 404 (their existence is not disclosed); a forbidden action 403.
"""

from dataclasses import fields

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import PatchDict, Path, Query, Router, Status
from ninja.pagination import paginate

from sanlian.core.api import ERRORS, MAX_ID, Pagination, refuse_nulls
from sanlian.core.permissions import get_scoped, require

from . import selectors, services
from .forms import CertificationForm, ContactForm
from .models import AnnualReport, CertificationType, ChainNode, Cluster, Contact, Enterprise, Park, Region
from .schemas import (
    AnnualReportFilters,
    AnnualReportIn,
    AnnualReportOut,
    CertificationIn,
    CertificationOut,
    ChainNodeOut,
    ClusterOut,
    ContactIn,
    ContactOut,
    ContactRemovedOut,
    ContactRevealedOut,
    EnterpriseFilters,
    EnterpriseIn,
    EnterpriseListOut,
    EnterpriseOut,
    ParkOut,
    RegionOut,
    ReportTransitionIn,
)

router = Router()

PLACE_FIELDS = (("town", Region), ("park", Park), ("cluster", Cluster))
DIRECTORY_FIELDS = {f.name for f in fields(selectors.DirectoryFilters)}


# ---------------------------------------------------------------- reference lists


@router.get(
    "/regions",
    response={200: list[RegionOut], **ERRORS},
    tags=["reference"],
    summary="区域(按权限范围)/ regions in scope",
)
def region_list(request):
    return selectors.regions_scoped(user=request.auth)


@router.get(
    "/parks", response={200: list[ParkOut], **ERRORS}, tags=["reference"], summary="园区(按权限范围)/ parks in scope"
)
def park_list(request):
    return selectors.parks_scoped(user=request.auth)


@router.get("/clusters", response={200: list[ClusterOut], **ERRORS}, tags=["reference"], summary="产业集群 / clusters")
def cluster_list(request):
    return Cluster.objects.all()


@router.get(
    "/chain-nodes", response={200: list[ChainNodeOut], **ERRORS}, tags=["reference"], summary="产业链环节 / chain nodes"
)
def chain_node_list(request):
    return ChainNode.objects.all()


# ---------------------------------------------------------------- enterprises


def _resolve_codes(data: dict) -> dict:
    """Replace town/park/cluster/chain node codes by their rows; every unknown code is named at once."""
    errors: dict[str, list[str]] = {}
    for field, model in PLACE_FIELDS:
        if field in data:
            try:
                data[field] = selectors.reference_lookup(model, field, data[field]) if data[field] else None
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if "chain_nodes" in data:
        try:
            data["chain_nodes"] = selectors.chain_nodes_lookup(data["chain_nodes"] or [])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return data


@router.get(
    "/enterprises",
    response={200: list[EnterpriseListOut], **ERRORS},
    tags=["enterprises"],
    summary="企业名录(分页、筛选)/ the enterprise directory",
)
@paginate(Pagination)
def enterprise_list(request, filters: Query[EnterpriseFilters]):
    values = {k: v for k, v in filters.dict().items() if k in DIRECTORY_FIELDS}
    return selectors.enterprise_directory(user=request.auth, filters=selectors.DirectoryFilters(**values))


@router.get(
    "/enterprises/{pk}",
    response={200: EnterpriseOut, **ERRORS},
    tags=["enterprises"],
    summary="企业档案 / a profile",
)
def enterprise_detail(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    return selectors.enterprise_profile(user=request.auth, pk=pk)


@router.post(
    "/enterprises",
    response={201: EnterpriseOut, **ERRORS},
    tags=["enterprises"],
    summary="登记企业(工作人员)/ register an enterprise (officers)",
)
def enterprise_create(request, payload: EnterpriseIn):
    user = request.auth
    # Ask first, so a caller who may not register learns nothing from code validation.
    require(user, "enterprise.create")
    data = _resolve_codes(payload.dict())
    uscc = data.pop("uscc")
    reason = data.pop("uscc_override_reason")
    chain_nodes = data.pop("chain_nodes")
    enterprise = services.enterprise_create(
        actor=user, uscc=uscc, uscc_override_reason=reason, data=data, chain_nodes=chain_nodes
    )
    return Status(201, selectors.enterprise_profile(user=user, pk=enterprise.pk))


@router.patch(
    "/enterprises/{pk}",
    response={200: EnterpriseOut, **ERRORS},
    tags=["enterprises"],
    summary="修改企业档案 / edit a profile",
)
def enterprise_update(request, payload: PatchDict[EnterpriseIn], pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    enterprise = get_scoped(user, "enterprise.edit", Enterprise.objects.all(), pk=pk)
    refuse_nulls(dict(payload), EnterpriseIn)
    data = _resolve_codes(dict(payload))
    uscc = data.pop("uscc", None)
    reason = data.pop("uscc_override_reason", "") or ""
    chain_nodes = data.pop("chain_nodes", None)
    services.enterprise_update(
        actor=user,
        enterprise=enterprise,
        data=data,
        chain_nodes=chain_nodes,
        uscc=uscc,
        uscc_override_reason=reason,
    )
    return selectors.enterprise_profile(user=user, pk=pk)


# ---------------------------------------------------------------- annual reports


def _report(user, pk: int) -> AnnualReport:
    return get_scoped(user, "report.view", AnnualReport.objects.select_related("enterprise"), pk=pk)


@router.get(
    "/annual-reports",
    response={200: list[AnnualReportOut], **ERRORS},
    tags=["annual reports"],
    summary="年报(按权限范围,分页)/ annual reports in scope",
)
@paginate(Pagination)
def annual_report_list(request, filters: Query[AnnualReportFilters]):
    reports = selectors.annual_reports_scoped(user=request.auth, year=filters.year, status=filters.status or "")
    if filters.enterprise is not None:
        reports = reports.filter(enterprise_id=filters.enterprise)
    return reports


@router.get(
    "/annual-reports/{pk}",
    response={200: AnnualReportOut, **ERRORS},
    tags=["annual reports"],
    summary="一份年报 / one report",
)
def annual_report_detail(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    return _report(request.auth, pk)


@router.put(
    "/enterprises/{pk}/annual-reports/{year}",
    response={200: AnnualReportOut, **ERRORS},
    tags=["annual reports"],
    summary="保存年报草稿(企业)/ save the draft report of a year (enterprises)",
)
def annual_report_save(
    request, payload: AnnualReportIn, pk: int = Path(..., ge=1, le=MAX_ID), year: int = Path(..., ge=1990, le=2100)
):
    user = request.auth
    enterprise = get_scoped(user, "enterprise.view", Enterprise.objects.all(), pk=pk)
    return services.annual_report_save(actor=user, enterprise=enterprise, year=year, data=payload.dict())


@router.post(
    "/annual-reports/{pk}/transition",
    response={200: AnnualReportOut, **ERRORS},
    tags=["annual reports"],
    summary="提交、通过或退回年报 / submit, approve or return a report",
)
def annual_report_transition(request, payload: ReportTransitionIn, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    report = _report(user, pk)
    return services.annual_report_transition(actor=user, report=report, action=payload.action, comment=payload.comment)


# ---------------------------------------------------------------- contacts and certifications


def _checked(form) -> dict:
    """The page's own form checks the input, so the API accepts exactly what the page accepts."""
    if not form.is_valid():
        raise ValidationError({field: [str(m) for m in messages] for field, messages in form.errors.items()})
    return form.cleaned_data


def _profile(user, pk: int, action: str) -> Enterprise:
    enterprise = selectors.enterprise_profile(user=user, pk=pk)
    require(user, action, enterprise)
    return enterprise


@router.post(
    "/enterprises/{pk}/contacts", response={201: ContactOut, **ERRORS}, tags=["enterprises"],
    summary="添加联系人(返回脱敏信息)/ add a contact, answered masked",
)  # fmt: skip
def contact_create(request, payload: ContactIn, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    enterprise = _profile(user, pk, "contact.edit")
    data = _checked(ContactForm(payload.model_dump()))
    return Status(201, services.contact_save(actor=user, enterprise=enterprise, data=data))


@router.post(
    "/contacts/{pk}/remove", response={200: ContactRemovedOut, **ERRORS}, tags=["enterprises"],
    summary="删除联系人及其个人信息 / remove a contact and their personal data",
)  # fmt: skip
def contact_remove(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    contact = get_scoped(user, "contact.edit", Contact.objects.all(), pk=pk)
    services.contact_remove(actor=user, contact=contact)
    return {"id": pk}


@router.post(
    "/contacts/{pk}/reveal", response={200: ContactRevealedOut, **ERRORS}, tags=["enterprises"],
    summary="查看联系人完整手机号与邮箱(记录在案)/ reveal a contact, logged",
)  # fmt: skip
def contact_reveal(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    contact = get_scoped(user, "contact.reveal", Contact.objects.all(), pk=pk)
    values = services.contact_reveal(actor=user, contact=contact)
    return {"id": contact.pk, "phone": values["phone"] or "", "email": values["email"] or ""}


@router.post(
    "/enterprises/{pk}/certifications", response={201: CertificationOut, **ERRORS}, tags=["enterprises"],
    summary="添加资质认定 / add a certification",
)  # fmt: skip
def certification_create(request, payload: CertificationIn, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    enterprise = _profile(user, pk, "certification.edit")
    kind = CertificationType.objects.filter(code=payload.type).first()
    if kind is None:
        raise ValidationError({"type": _("未知的资质类型")})
    data = _checked(CertificationForm({**payload.model_dump(exclude_none=True), "type": kind.pk}))
    return Status(201, services.certification_add(actor=user, enterprise=enterprise, data=data))
