// Talentbase live pages: the htmx websocket extension (hx-ws:connect on #live) swaps the
// fragments the server sends; this file only tells the server what the page shows (so a
// reconnecting page gets what it missed), drops duplicates, keeps the chat scrolled, sends
// read marks and typing hints, and sends a message with Enter. Without it, forms still work.
(function () {
  "use strict";

  var connection = null;
  var stick = true; // the chat is scrolled to its end: keep it there when messages arrive
  var lastTyping = 0;
  var lastReadSent = 0;
  var readTimer = null;
  var TYPING_EVERY = 2500;

  function chat() { return document.querySelector("[data-conversation]"); }
  function conversationId() { var c = chat(); return c ? c.getAttribute("data-conversation") : null; }
  function messageBox() { var id = conversationId(); return id ? document.getElementById("messages-" + id) : null; }
  function scroller() { var id = conversationId(); return id ? document.getElementById("chat-scroll-" + id) : null; }
  function messages() { var box = messageBox(); return box ? box.querySelectorAll("[data-message-id]") : []; }
  function lastMessage() { var all = messages(); return all.length ? all[all.length - 1] : null; }
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  function inboxSearch() {
    var field = document.getElementById("inbox-q");
    return field ? field.value.trim().slice(0, 100) : "";
  }
  function socket() {
    var s = connection && connection.socket;
    return s && s.readyState === WebSocket.OPEN ? s : null;
  }
  function send(data) {
    var s = socket();
    if (!s) return false;
    s.send(JSON.stringify(data));
    return true;
  }

  // What this page shows, so the server can send what it missed (on every (re)connection).
  function pageState() {
    var params = new URLSearchParams();
    var id = conversationId();
    if (id && !new URLSearchParams(location.search).has("before")) {
      params.set("conversation", id);
      var all = messages();
      if (all.length) {
        params.set("from", all[0].getAttribute("data-message-id"));
        params.set("after", all[all.length - 1].getAttribute("data-message-id"));
      } else {
        params.set("after", "0");
      }
    }
    if (document.getElementById("conversation-list")) params.set("list", "1");
    var search = inboxSearch();
    if (search) params.set("q", search);
    if (document.getElementById("notification-list")) params.set("view", "notifications");
    return params.toString();
  }
  function refreshUrl(conn) {
    var query = pageState();
    conn.url = conn.url.split("?")[0] + (query ? "?" + query : "");
  }

  document.addEventListener("htmx:ws:before:connection", function (event) {
    connection = event.detail.connection;
    refreshUrl(connection);
  });
  // The extension reopens the socket itself when a hidden tab shows again: update the URL first.
  document.addEventListener("visibilitychange", function () {
    if (connection && !document.hidden) refreshUrl(connection);
    if (!document.hidden) scheduleRead();
  });
  document.addEventListener("htmx:ws:after:connection", function (event) {
    connection = event.detail.connection;
    document.documentElement.setAttribute("data-live", "open");
    scheduleRead();
  });
  document.addEventListener("htmx:ws:close", function () {
    document.documentElement.setAttribute("data-live", "closed");
  });

  // A message already on the page (sent here, then echoed by the socket) is not added twice.
  document.addEventListener("htmx:before:swap", function (event) {
    var tasks = (event.detail && event.detail.tasks) || [];
    tasks.forEach(function (task) {
      if (!task.fragment || !task.fragment.querySelectorAll) return;
      task.fragment.querySelectorAll("[data-message-id]").forEach(function (node) {
        if (node.id && document.getElementById(node.id)) node.remove();
      });
    });
  });

  // Read marks: when the latest message from someone else is on screen.
  function scheduleRead() {
    clearTimeout(readTimer);
    readTimer = setTimeout(sendRead, 300);
  }
  function sendRead() {
    var last = lastMessage();
    var id = conversationId();
    if (!last || !id || document.hidden || !stick) return;
    var messageId = parseInt(last.getAttribute("data-message-id"), 10);
    if (messageId <= lastReadSent) return;
    if (last.classList.contains("mine")) return; // sending moved my read mark already
    lastReadSent = messageId;
    if (!send({type: "read", conversation_id: parseInt(id, 10), message_id: messageId})) {
      var body = new URLSearchParams({message_id: String(messageId), csrf_token: csrfToken()});
      fetch("/messages/" + id + "/read", {method: "POST", body: body, credentials: "same-origin",
        headers: {"HX-Request": "true", "X-CSRFToken": csrfToken()}});
    }
  }

  function scrollToEnd() {
    var s = scroller();
    if (s) s.scrollTop = s.scrollHeight;
  }

  function watchChat() {
    var box = messageBox();
    var s = scroller();
    if (!box || !s) return;
    if (!location.hash) scrollToEnd();
    s.addEventListener("scroll", function () {
      stick = s.scrollHeight - s.scrollTop - s.clientHeight < 80;
      if (stick) scheduleRead();
    }, {passive: true});
    new MutationObserver(function (records) {
      var appended = false;
      var mine = false;
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType !== 1 || !node.hasAttribute("data-message-id")) return;
          if (node === box.lastElementChild || !node.nextElementSibling) {
            appended = true;
            if (node.classList.contains("mine")) mine = true;
          }
        });
      });
      if (appended) {
        var empty = box.querySelector(".chat-empty");
        if (empty) empty.remove();
        if (stick || mine) scrollToEnd();
        scheduleRead();
      }
    }).observe(box, {childList: true});
    scheduleRead();
  }

  // The inbox's search: once its results are on the page, the socket is told, so the list it
  // refreshes stays filtered the same way (a reconnecting socket says it in its URL).
  var lastSearch = null;
  document.addEventListener("htmx:after:swap", function () {
    if (!document.getElementById("inbox-q")) return;
    var search = inboxSearch();
    if (search === lastSearch) return;
    lastSearch = search;
    send({type: "search", q: search});
    if (connection) refreshUrl(connection);
  });

  // Typing hints, Enter to send (Shift+Enter for a new line), a textarea that grows.
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("textarea[data-typing]")) return;
    // Rows, not an inline style: the page's CSP allows no style attributes.
    field.rows = Math.min(6, Math.max(1, field.value.split("\n").length));
    var now = Date.now();
    if (field.value.trim() && now - lastTyping > TYPING_EVERY) {
      lastTyping = now;
      send({type: "typing", conversation_id: parseInt(field.getAttribute("data-typing"), 10)});
    }
  });
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || !field.matches || !field.matches("textarea[data-typing]")) return;
    event.preventDefault();
    if (field.value.trim() || (field.form.querySelector("input[type=file]").files || []).length) field.form.requestSubmit();
  });
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(".chat-composer input[type=file]")) return;
    var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    var out = input.form.querySelector(".chat-files");
    if (out) out.textContent = names.join(", ");
  });
  // After sending, the fresh composer takes the cursor again.
  document.addEventListener("htmx:after:swap", function (event) {
    var ctx = event.detail && event.detail.ctx;
    var source = ctx && ctx.sourceElement;
    if (source && source.id && source.id.indexOf("composer-") === 0) {
      var fresh = document.getElementById(source.id);
      var field = fresh && fresh.querySelector("textarea");
      if (field) field.focus();
      lastTyping = 0;
    }
  });

  // Toasts leave by themselves.
  function watchToasts() {
    var box = document.getElementById("toasts");
    if (!box) return;
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) setTimeout(function () { node.remove(); }, 8000);
        });
      });
    }).observe(box, {childList: true});
  }

  // htmx may start (on a timer) before its websocket extension has loaded: the deferred
  // scripts run one by one and let other tasks in between. Then #live was processed without
  // the extension; process it again now that everything is loaded (the extension starts the
  // connection once only).
  function ensureLive() {
    var el = document.getElementById("live");
    var state = el && el._htmx && el._htmx.ws;
    if (el && window.htmx && !(state && state.initialized)) window.htmx.process(el);
  }

  var started = false;
  function start() {
    ensureLive();
    if (started) return;
    started = true;
    watchChat();
    watchToasts();
  }
  // This file runs first of the deferred scripts: wait until the others (htmx) have run too.
  if (document.readyState === "complete") start();
  else document.addEventListener("DOMContentLoaded", start);
  window.addEventListener("load", start);
})();
