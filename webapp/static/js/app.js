// Talentbase: the little JavaScript the pages need. Everything works without it; this only
// adds the CSRF header to htmx requests and focuses the first field with an error.
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Every htmx request that can change something carries the CSRF token.
  document.addEventListener("htmx:config:request", function (event) {
    var ctx = event.detail && event.detail.ctx;
    if (!ctx || !ctx.request) return;
    var method = (ctx.request.method || "GET").toUpperCase();
    if (method !== "GET" && method !== "HEAD") {
      ctx.request.headers["X-CSRFToken"] = csrfToken();
    }
  });

  // After a form comes back with errors (422), put the cursor in the first wrong field.
  document.addEventListener("htmx:after:swap", function (event) {
    var ctx = event.detail && event.detail.ctx;
    if (!ctx || !ctx.response || ctx.response.status !== 422) return;
    var invalid = document.querySelector(".is-invalid");
    if (invalid && typeof invalid.focus === "function") invalid.focus();
  });

  // Filter panels (<details data-open-wide>) start open on wide screens; on a phone they
  // stay folded under their summary until tapped.
  // Each panel once, so one the user folded stays folded; a page restored from history by
  // htmx brings new panels, opened in their turn.
  function openWidePanels() {
    if (!window.matchMedia("(min-width: 992px)").matches) return;
    document.querySelectorAll("details[data-open-wide]:not([data-seen])").forEach(function (panel) {
      panel.open = true;
      panel.setAttribute("data-seen", "");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", openWidePanels);
  else openWidePanels();
  document.addEventListener("htmx:after:swap", openWidePanels);

  // hx-confirm is handled by htmx; plain forms may ask with data-confirm.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);
})();
