"""What the crawl checks on every page at phone width, and how it watches a browser context for requests that
leave the platform's origin, fail, or break the CSP."""

import re
from pathlib import Path

PHONE = {"width": 375, "height": 800}
SERIOUS = {"serious", "critical"}

# Init scripts are injected by the browser itself, so they run despite the page's CSP.
CSP_WATCH = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)

LAYOUT = """() => {
    const doc = document.documentElement;
    const wide = [];
    if (doc.scrollWidth > doc.clientWidth) {
        // the outermost elements that stick out past the right edge, to say what overflows
        for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.right > doc.clientWidth + 1 && r.width > 0) {
                let p = el.parentElement, inside = false;
                while (p && p !== document.body) {
                    const s = getComputedStyle(p);
                    if (s.overflowX !== 'visible' || p.getBoundingClientRect().right > doc.clientWidth + 1) {
                        inside = true; break;
                    }
                    p = p.parentElement;
                }
                const cls = typeof el.className === 'string' && el.className.trim();
                if (!inside) wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                    (cls ? '.' + cls.split(/\\s+/).join('.') : '') + ' ' + Math.round(r.right) + 'px');
            }
            if (wide.length >= 5) break;
        }
    }
    return {lang: doc.getAttribute('lang') || '', scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth,
            wide: wide, csp: window.__csp || []};
}"""


class Watcher:
    """Records, per browser context, what the pages of the current visit asked for that went wrong."""

    def __init__(self, origin: str):
        from axe_playwright_python.sync_playwright import Axe

        self.origin = origin
        self.problems: list[str] = []
        self.inflight: set = set()
        self.axe_script = Axe().axe_script

    def attach(self, context) -> None:
        context.add_init_script(CSP_WATCH)
        # axe-core comes with every page of the context: cheaper than sending it over for each check
        context.add_init_script(self.axe_script)
        # Nothing may leave the platform: such a request is recorded and never sent.
        context.route(re.compile(r"^(?!" + re.escape(self.origin) + r"|data:|blob:)"), self._outside)
        context.on("page", self._page)

    def _outside(self, route) -> None:
        self.problems.append(f"request outside the origin: {route.request.url}")
        route.abort()

    def _page(self, page) -> None:
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"{r.status} {r.url}"))
        page.on("requestfailed", self._failed)
        page.on("request", lambda r: self.inflight.add(r))
        page.on("requestfinished", lambda r: self.inflight.discard(r))
        page.on("requestfailed", lambda r: self.inflight.discard(r))

    def settle(self, page, ready: str | None = None) -> None:
        """Waits for what the page's scripts fetch after it loaded (charts, Swagger UI's schema, htmx)."""
        if ready:
            page.wait_for_selector(ready, timeout=20_000)
        for _ in range(100):
            if not self.inflight:
                break
            page.wait_for_timeout(50)

    def _failed(self, request) -> None:
        # ERR_ABORTED: the browser dropped a request of a page it had left (the next visit), not a failure
        if request.url.startswith(self.origin) and "ERR_ABORTED" not in (request.failure or ""):
            self.problems.append(f"request failed: {request.url} {request.failure}")

    def take(self) -> list[str]:
        found, self.problems = self.problems, []
        return found


def check_page(page) -> list[str]:
    """Every check of the page as it is now: axe-core, layout at phone width, lang, CSP."""
    problems = []
    layout = page.evaluate(LAYOUT)
    if not layout["lang"]:
        problems.append("<html> has no lang")
    if layout["scrollWidth"] > layout["clientWidth"]:
        problems.append(
            f"the document scrolls sideways: {layout['scrollWidth']}px in {layout['clientWidth']}px; "
            f"sticking out: {', '.join(layout['wide']) or '?'}"
        )
    problems += [f"CSP violation: {v}" for v in layout["csp"]]
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    for violation in results["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [" ".join(map(str, n["target"])) for n in violation["nodes"][:3]]
            problems.append(f"axe {violation['impact']} {violation['id']}: {violation['help']} — {'; '.join(targets)}")
    return problems


def screenshot(page, directory: Path, name: str) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (re.sub(r"[^\w.-]+", "_", name) + ".png")
    page.screenshot(path=str(path), full_page=True)
    return str(path)
