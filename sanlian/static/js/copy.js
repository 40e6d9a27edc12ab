/* "Copy" buttons: [data-copy=<input id>] copies that input's value and shows [data-copied=<same id>].
 * A static file because the CSP allows no inline script. Without the clipboard API the text is selected. */
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var id = button.getAttribute("data-copy");
      var input = document.getElementById(id);
      var done = document.querySelector('[data-copied="' + id + '"]');
      input.select();
      if (navigator.clipboard) {
        navigator.clipboard.writeText(input.value).then(function () {
          if (done) done.hidden = false;
        });
      }
    });
  });
})();
