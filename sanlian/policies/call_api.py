"""Calls and applications in /api/v1 (placeholder until the declarations land)."""

from ninja import Router

router = Router(tags=["calls"])
