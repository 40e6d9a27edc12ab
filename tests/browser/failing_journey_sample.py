"""A browser test that fails on purpose, with two pages open. Kept out of collection (its name does not
start with test_): tests/browser/test_journey_screenshots.py runs it in a subprocess to prove that a failing
browser test leaves a screenshot of every page."""

import pytest


@pytest.mark.browser
def test_fails_with_two_pages_open(page, pages):
    page.set_content("<main><h1>第一页</h1></main>")
    other = pages.new()
    other.set_content("<main><h1>第二页</h1></main>")
    assert page.locator("h1").inner_text() == "不是这一页"


@pytest.mark.browser
def test_passes_with_a_page_open(page):
    page.set_content("<main><h1>通过</h1></main>")
    assert page.locator("h1").inner_text() == "通过"
