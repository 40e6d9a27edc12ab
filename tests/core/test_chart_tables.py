"""Every chart has a data table: read over the templates, so a new chart without one fails here before any
browser runs. A chart container is an element with the class `chart` or a `data-figure`, or any element of a
template that loads ECharts; it must have role="img", an aria-label, and aria-details naming a <table> of the
same template (tests/browser/test_keyboard.py checks the drawn pages too)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "sanlian"
TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")


def attributes(text: str) -> dict:
    return {name.lower(): (value or "").strip("\"'") for name, value in ATTR.findall(text)}


def is_chart(attrs: dict) -> bool:
    return "chart" in attrs.get("class", "").split() or "data-figure" in attrs


def problems(html: str) -> list[str]:
    """What is wrong with the chart containers of one template."""
    tables = set()
    charts = []
    for tag, rest in TAG.findall(html):
        attrs = attributes(rest)
        if tag.lower() == "table" and attrs.get("id"):
            tables.add(attrs["id"])
        if is_chart(attrs):
            charts.append(attrs)
    found = []
    if "echarts" in html and not charts:
        found.append("loads ECharts but has no chart container (class chart / data-figure)")
    for attrs in charts:
        name = attrs.get("id", "?")
        if attrs.get("role") != "img":
            found.append(f"{name}: no role=img")
        if not attrs.get("aria-label", "").strip():
            found.append(f"{name}: no aria-label")
        if attrs.get("aria-details") not in tables:
            found.append(f"{name}: aria-details does not name a <table id> of the template")
    return found


TEMPLATES = sorted(ROOT.rglob("templates/**/*.html"))


def test_the_templates_hold_charts():
    charts = [p for p in TEMPLATES if any(is_chart(attributes(rest)) for _, rest in TAG.findall(p.read_text()))]
    assert {p.name for p in charts} >= {"cockpit.html", "map.html"}


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_chart_container_has_role_img_a_label_and_a_data_table(path):
    assert problems(path.read_text()) == []


def test_every_script_that_draws_a_chart_is_loaded_by_a_template_with_chart_containers():
    scripts = [p for p in (ROOT / "static" / "js").glob("*.js") if "echarts.init" in p.read_text()]
    assert scripts
    for script in scripts:
        users = [p for p in TEMPLATES if f"js/{script.name}" in p.read_text()]
        assert users, script.name
        for template in users:
            text = template.read_text()
            assert any(is_chart(attributes(rest)) for _, rest in TAG.findall(text)), template


@pytest.mark.parametrize(
    ("html", "wanted"),
    [
        ('<div class="chart" id="c" role="img" aria-label="营收"></div>', "c: aria-details"),
        ('<div class="chart" id="c" aria-label="x" aria-details="t"></div><table id="t"></table>', "c: no role=img"),
        ('<div data-figure="k" id="c" role="img" aria-details="t"></div><table id="t"></table>', "c: no aria-label"),
        (
            '<div class="chart" id="c" role="img" aria-label="x" aria-details="u"></div><table id="t">',
            "c: aria-details",
        ),
        ('<script src="vendor/echarts.min.js"></script><div id="x"></div>', "no chart container"),
    ],
)
def test_the_check_finds_a_chart_without_its_table(html, wanted):
    assert any(wanted in problem for problem in problems(html))


def test_the_check_passes_a_chart_with_its_table():
    html = (
        '<div class="chart" id="chart-{{ card.key }}" data-figure="{{ card.key }}" role="img" '
        'aria-label="{{ card.summary }}" aria-details="table-{{ card.key }}"></div>'
        '<details class="data-table" open><table id="table-{{ card.key }}"></table></details>'
    )
    assert problems(html) == []
