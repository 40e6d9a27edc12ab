"""Helpers of the search tests: writes go through the real services, and their after-commit index refresh runs."""

import pytest
from django.test import TestCase
from django.utils import timezone

from sanlian.search import selectors


def committed():
    """Run the on-commit follow-ups (the search index refresh among them) as a real commit would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def find(user, q: str, kind: str = "", **kwargs):
    return selectors.search(user=user, q=q, kind=kind, today=kwargs.pop("today", timezone.localdate()), **kwargs)


def titles(user, q: str, kind: str = "", **kwargs) -> list[str]:
    results = find(user, q, kind, **kwargs)
    return [document.title for document in results.page.object_list] if results.page else []


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()
