"""Fixtures of the API tests shared across files."""

from .world import world  # noqa: F401 (a fixture: the schema tests' demo-like data)
