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


  // Uploads with a progress bar. htmx 4 sends with fetch, which cannot report upload
  // progress; for forms marked data-upload-progress we hand htmx an XMLHttpRequest-based
  // fetch instead, so htmx still swaps the answer (and its headers) as usual.
  function hasChosenFile(form) {
    var inputs = form.querySelectorAll('input[type="file"]');
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].files && inputs[i].files.length) return true;
    }
    return false;
  }

  function parseHeaders(raw) {
    var headers = new Headers();
    raw.trim().split(/[\r\n]+/).forEach(function (line) {
      var at = line.indexOf(":");
      if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
    });
    return headers;
  }

  function showProgress(form, percent) {
    var box = form.querySelector(".upload-progress");
    if (!box) return;
    box.hidden = false;
    var bar = box.querySelector("progress");
    var label = box.querySelector(".upload-percent");
    if (bar) bar.value = percent;
    if (label) label.textContent = percent + "%";
  }

  function fetchWithProgress(form) {
    return function (url, init) {
      return new Promise(function (resolve, reject) {
        var xhr = new XMLHttpRequest();
        xhr.open(init.method || "POST", url);
        var headers = init.headers || {};
        Object.keys(headers).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
        xhr.upload.addEventListener("progress", function (event) {
          if (event.lengthComputable) showProgress(form, Math.round((event.loaded * 100) / event.total));
        });
        xhr.addEventListener("load", function () {
          var empty = [101, 204, 205, 304].indexOf(xhr.status) !== -1;
          resolve(new Response(empty ? null : xhr.responseText, {
            status: xhr.status, statusText: xhr.statusText, headers: parseHeaders(xhr.getAllResponseHeaders())
          }));
        });
        xhr.addEventListener("error", function () { reject(new TypeError("The upload failed.")); });
        xhr.addEventListener("abort", function () { reject(new DOMException("Aborted", "AbortError")); });
        if (init.signal) init.signal.addEventListener("abort", function () { xhr.abort(); });
        showProgress(form, 0);
        xhr.send(init.body);
      });
    };
  }

  document.addEventListener("htmx:config:request", function (event) {
    var ctx = event.detail && event.detail.ctx;
    var form = ctx && ctx.sourceElement;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-upload-progress")) return;
    if (!hasChosenFile(form)) return;
    ctx.fetch = fetchWithProgress(form);
  });

  // hx-confirm is handled by htmx; plain forms may ask with data-confirm. A "no" also stops
  // the event here (capture phase), so an hx-post on the same form is not sent either.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  // Buttons that print the page (the QR card).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });
})();
