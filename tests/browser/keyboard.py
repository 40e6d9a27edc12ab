"""Helpers of the keyboard and care-mode browser tests: tab through a page, and look at its chart containers."""

# Every element the Tab key should reach: visible, enabled, not taken out of the order (tabindex=-1), and for a
# group of radio buttons only the checked one (or the first), as browsers do. Each gets a data-kb number.
TABBABLE = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex], '
    + '[contenteditable=true]';
  const seenRadio = new Set();
  const out = [];
  let n = 0;
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || el.closest('[inert]')) continue;
    if (el.getAttribute('tabindex') === '-1') continue;
    if (el.tagName === 'SUMMARY' && el.parentElement.tagName !== 'DETAILS') continue;
    if (!el.getClientRects().length) continue;  // not rendered: display none
    const closed = el.closest('details:not([open])');
    if (closed && !(el.tagName === 'SUMMARY' && el.parentElement === closed)) continue;  // folded away
    if (el.checkVisibility && !el.checkVisibility({contentVisibilityAuto: true})) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    if (el.type === 'radio') {
      const group = el.form ? el.form.querySelectorAll(`input[type=radio][name="${el.name}"]`) : [el];
      const chosen = [...group].find(r => r.checked) || group[0];
      if (chosen !== el || seenRadio.has(el.name)) continue;
      seenRadio.add(el.name);
    }
    el.dataset.kb = String(n++);
    out.push({kb: el.dataset.kb, what: el.outerHTML.slice(0, 160)});
  }
  return out;
}"""

# The focused element, and whether its focus can be seen: an outline or a box-shadow ring.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const ring = style.boxShadow && style.boxShadow !== 'none';
  return {kb: el.dataset.kb || null, visible: outline || ring,
          outline: style.outlineStyle + ' ' + style.outlineWidth + ' ' + style.outlineColor,
          what: el.outerHTML.slice(0, 160)};
}"""


def tab_through(page, limit: int = 800) -> dict:
    """Press Tab from the top of the page until the focus leaves the page (or comes back to the first stop).

    Returns what should have been reached, what was reached in order, the stops whose focus could not be seen,
    and `trapped`: an element that kept the focus through two presses of Tab (a keyboard trap).
    """
    expected = page.evaluate(TABBABLE)
    # Start before the first stop: a focus point at the top of <body> that is itself out of the Tab order.
    page.evaluate(
        """() => { const start = document.createElement('span'); start.tabIndex = -1;
                   document.body.prepend(start); start.focus(); window.scrollTo(0, 0); }"""
    )
    reached, invisible, trapped, previous, first, stay = [], [], None, None, None, 0
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:  # past the last stop: the focus went back to the document
            if reached:
                break
            continue
        if focused["kb"] is not None and focused["kb"] == first:
            break  # round again
        if focused["kb"] is not None and focused["kb"] == previous:
            # A date field takes a few presses (year, month, day inside it); more than that is a trap.
            stay += 1
            if stay > 4:
                trapped = focused["what"]
                break
            continue
        stay = 0
        first = first or focused["kb"]
        previous = focused["kb"]
        reached.append(focused["kb"])
        if not focused["visible"]:
            invisible.append(f"{focused['what']} ({focused['outline']})")
    else:
        trapped = f"still tabbing after {limit} presses"
    return {"expected": expected, "reached": reached, "invisible": invisible, "trapped": trapped}


def assert_keyboard_complete(page, label: str) -> int:
    result = tab_through(page)
    missed = [e["what"] for e in result["expected"] if e["kb"] not in set(result["reached"])]
    assert result["trapped"] is None, f"{label}: keyboard trap at {result['trapped']}"
    assert missed == [], f"{label}: not reachable by Tab: {missed}"
    assert result["invisible"] == [], f"{label}: focus not visible on {result['invisible']}"
    assert len(result["reached"]) == len(set(result["reached"])), f"{label}: a stop was reached twice"
    return len(result["reached"])


# The cockpit draws its first screen at once and the other charts in idle moments: wait for all of them.
ALL_CHARTS_DRAWN = """() => [...document.querySelectorAll('.chart, [data-figure]')]
  .every(el => el.querySelector('canvas'))"""

# Every chart: the element ECharts drew into, with its role, label and the data table it points to.
CHARTS = """() => [...document.querySelectorAll('[_echarts_instance_], .chart, [data-figure]')].map(el => {
  const id = el.getAttribute('aria-details');
  const table = id ? document.getElementById(id) : null;
  const rows = table && table.tagName === 'TABLE' ? table.querySelectorAll('tbody tr').length : 0;
  return {id: el.id, drawn: !!el.querySelector('canvas'), role: el.getAttribute('role'),
          label: (el.getAttribute('aria-label') || '').trim(), table: table ? table.tagName : null, rows,
          tableVisible: !!(table && table.getClientRects().length && table.offsetHeight > 0)};
})"""
