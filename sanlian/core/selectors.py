"""Reads of the core that other apps use."""

from .models import AuditEvent, User


def registry_version() -> int:
    """The id of the newest audit event: it changes with every write made through a service."""
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def region_prefixes(path: str) -> list[str]:
    """The materialised paths of a region and of every region above it ("a/b/" → ["a/", "a/b/"])."""
    parts = [part for part in path.split("/") if part]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def officers_covering(region_path: str, role: str) -> list[User]:
    """Active officers of `role` whose region is the given one or above it (they are told of its events)."""
    return list(User.objects.filter(role=role, is_active=True, region__path__in=region_prefixes(region_path)))
