"""A failing browser test leaves a PNG of each of its pages under $SANLIAN_SCREENSHOT_DIR and prints the paths;
a passing one leaves none."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE = Path(__file__).with_name("failing_journey_sample.py")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.browser
def test_a_failing_browser_test_leaves_a_screenshot_of_every_page(tmp_path):
    shots = tmp_path / "shots"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}  # its own SQLite
    env.update(SANLIAN_VAR_DIR=str(tmp_path / "var"), SANLIAN_SCREENSHOT_DIR=str(shots))
    root = Path(__file__).resolve().parents[2]

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--no-migrations", str(SAMPLE)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert run.returncode == 1, run.stdout + run.stderr  # the sample failed, as it should
    assert "1 failed, 1 passed" in run.stdout
    saved = sorted(shots.glob("*.png"))  # none of the passing test
    assert [p.name for p in saved] == [
        "tests_browser_failing_journey_sample.py_test_fails_with_two_pages_open-1.png",
        "tests_browser_failing_journey_sample.py_test_fails_with_two_pages_open-2.png",
    ]
    for path in saved:
        assert path.read_bytes().startswith(PNG_SIGNATURE) and path.stat().st_size > 1000
        assert f"screenshot: {path}" in run.stdout
