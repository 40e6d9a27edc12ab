"""Writes of the chain graph: supplier → customer edges between chain nodes.

Officers (chain.edit) add and remove edges; the nodes' names and descriptions are the registry's
(enterprises: chain-nodes). An edge never joins a node to itself and a pair is joined at most once;
both rules are also database constraints, checked here first so that the officer reads why.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sanlian.core.permissions import require
from sanlian.core.services import audit_record
from sanlian.enterprises.models import ChainNode

from ..models import ChainEdge

__all__ = ["NOTE_MAX", "edge_add", "edge_remove"]

NOTE_MAX = ChainEdge._meta.get_field("note").max_length


def _exists_message(supplier: ChainNode, customer: ChainNode) -> str:
    return _("%(supplier)s → %(customer)s 的关系已存在") % {"supplier": supplier.code, "customer": customer.code}


def _node(value, field: str, errors: dict) -> ChainNode | None:
    if isinstance(value, ChainNode):
        return value
    code = (value or "").strip().upper() if isinstance(value, str) else ""
    node = ChainNode.objects.filter(code=code).first() if code else None
    if node is None:
        errors[field] = _("请选择产业链环节") if not code else _("未知的产业链环节:%(code)s") % {"code": code}
    return node


@transaction.atomic
def edge_add(*, actor, supplier, customer, note: str = "", now: datetime) -> ChainEdge:
    """Add the edge supplier → customer (nodes or their codes); all or nothing."""
    require(actor, "chain.edit")
    errors: dict[str, str] = {}
    supplier = _node(supplier, "supplier", errors)
    customer = _node(customer, "customer", errors)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = _("说明不能超过 %(n)s 个字") % {"n": NOTE_MAX}
    if supplier is not None and customer is not None:
        if supplier.pk == customer.pk:
            errors["customer"] = _("供给环节与需求环节不能相同")
        elif ChainEdge.objects.filter(supplier=supplier, customer=customer).exists():
            errors["customer"] = _exists_message(supplier, customer)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            edge = ChainEdge.objects.create(supplier=supplier, customer=customer, note=note)
    except IntegrityError as exc:  # a concurrent officer added the same pair first
        raise ValidationError({"customer": _exists_message(supplier, customer)}) from exc
    audit_record(
        actor=actor,
        action="chain_edge.create",
        target=edge,
        changes={"supplier": [None, supplier.code], "customer": [None, customer.code], "note": [None, note]},
        now=now,
    )
    return edge


@transaction.atomic
def edge_remove(*, actor, edge: ChainEdge, now: datetime) -> None:
    """Remove an edge; the audit event keeps which pair it joined."""
    require(actor, "chain.edit")
    edge = ChainEdge.objects.select_for_update().select_related("supplier", "customer").filter(pk=edge.pk).first()
    if edge is None:
        raise ValidationError({"edge": _("该关系已被删除")})
    audit_record(
        actor=actor,
        action="chain_edge.delete",
        target=edge,
        changes={
            "supplier": [edge.supplier.code, None],
            "customer": [edge.customer.code, None],
            "note": [edge.note, None],
        },
        now=now,
    )
    edge.delete()
