"""Calls and applications (placeholder until the declarations land)."""

__all__: list[str] = []
