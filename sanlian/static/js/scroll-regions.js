/* A wide table or preformatted text scrolls inside its own box on a phone (sanlian.css, issue 10: crawl).
 * A box that scrolls is made focusable, so that the keyboard can scroll it too (WCAG 2.1.1); one that
 * no longer scrolls (a wider window) is not. A static file because the CSP allows no inline script. */
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll("main table, main pre, main .table-wrap").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== "visible";
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-region", "");
      } else if (!scrolls && box.hasAttribute("data-scroll-region")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-region");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
  window.addEventListener("resize", mark);
  document.addEventListener("htmx:afterSettle", mark);
})();
