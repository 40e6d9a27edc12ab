"""Static file names: content-hashed once collectstatic has written its manifest, plain before (and in tests)."""

import json

import pytest

from sanlian.core.staticfiles import StaticFilesStorage


@pytest.fixture
def collected(tmp_path):
    """A STATIC_ROOT as collectstatic leaves it: the hashed copy and the manifest naming it."""
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "echarts.min.0123456789ab.js").write_text("/* charts */")
    manifest = {"paths": {"vendor/echarts.min.js": "vendor/echarts.min.0123456789ab.js"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return tmp_path


def test_collected_files_are_served_under_their_hashed_name(collected, settings):
    settings.TESTING, settings.DEBUG = False, False  # as production runs
    storage = StaticFilesStorage(location=collected, base_url="/static/")

    assert storage.url("vendor/echarts.min.js") == "/static/vendor/echarts.min.0123456789ab.js"
    # A file added since the last collectstatic keeps its plain name (the finders serve it) rather than failing.
    assert storage.url("js/new-since-collectstatic.js") == "/static/js/new-since-collectstatic.js"


def test_before_collectstatic_and_in_tests_the_plain_name_is_used(collected, tmp_path_factory, settings):
    settings.TESTING, settings.DEBUG = False, False
    empty = StaticFilesStorage(location=tmp_path_factory.mktemp("not-collected"), base_url="/static/")
    assert empty.url("vendor/echarts.min.js") == "/static/vendor/echarts.min.js"

    settings.TESTING = True  # the tests' live server serves the source files through the finders
    assert StaticFilesStorage(location=collected, base_url="/static/").url("vendor/echarts.min.js") == (
        "/static/vendor/echarts.min.js"
    )
