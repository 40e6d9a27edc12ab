import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The engines are pure Python: these tests need neither Django's cache nor its database."""
    yield
