"""The walk covers every URL pattern and API operation: a new one fails here until tests/security/registry.py
says how it is walked (with the other party's object) or why it has no object or is public."""

from django.contrib.auth.decorators import login_not_required  # noqa: F401 (the marker the check reads)
from django.urls import resolve

from .registry import API, PAGES, Public
from .walk import api_operations, url_patterns


def test_every_url_pattern_is_walked_or_listed_with_a_reason():
    missing = sorted(set(url_patterns()) - set(PAGES))

    assert not missing, "URL patterns the authorisation walk does not cover; add each to PAGES in " + (
        "tests/security/registry.py:\n" + "\n".join(f"  {key!r}  (route {url_patterns()[key]!r})" for key in missing)
    )


def test_the_registry_lists_no_pattern_that_is_gone():
    gone = sorted(set(PAGES) - set(url_patterns()) - {"^media/(?P<path>.*)$"})

    assert not gone, f"PAGES lists URL patterns that no longer exist: {gone}"


def test_every_api_operation_is_walked_or_listed_with_a_reason():
    missing = sorted(set(api_operations()) - set(API))

    assert not missing, "API operations the authorisation walk does not cover; add each to API in " + (
        "tests/security/registry.py:\n" + "\n".join(f"  {key!r}" for key in missing)
    )
    assert not sorted(set(API) - set(api_operations())), "API lists operations that no longer exist"


def test_exactly_the_patterns_marked_public_are_open_to_anonymous_callers():
    """A view marked login_not_required (or an operation with the anonymous auth) must be listed Public, and
    a pattern listed Public must be marked, so the two lists cannot drift apart."""
    routes = url_patterns()
    open_views = {
        key for key, route in routes.items()
        if not key.startswith("^") and not getattr(resolve(_sample(route)).func, "login_required", True)
    }  # fmt: skip
    listed = {key for key, entry in PAGES.items() if isinstance(entry, Public)}

    assert open_views == listed, f"open but not listed Public: {sorted(open_views - listed)}; " + (
        f"listed Public but login required: {sorted(listed - open_views)}"
    )
    open_operations = {key for key, public in api_operations().items() if public}
    listed_operations = {key for key, entry in API.items() if isinstance(entry, Public)}
    assert open_operations == listed_operations, (
        f"open: {sorted(open_operations - listed_operations)}; listed: {sorted(listed_operations - open_operations)}"
    )


def _sample(route: str) -> str:
    """A path that the route matches, with a sample value for every converter."""
    import re

    samples = {"int": "1", "str": "x", "slug": "x", "path": "x"}
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: samples[m.group(1) or "str"], route)
