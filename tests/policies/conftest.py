import pytest
import time_machine

from .calls_data import TODAY


@pytest.fixture
def on_calls_today(settings, tmp_path):
    """The date the call test data are built around, with the test's uploads in its own folder."""
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(TODAY, tick=False):
        yield
