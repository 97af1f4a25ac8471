// Cinema pages: drag and drop to reorder the gallery. Without JavaScript the arrow buttons
// do the same; with it, dropping a photo sends the new order through the hidden order form.
(function () {
  "use strict";

  var dragged = null;

  function orderOf(list) {
    return Array.prototype.map.call(list.querySelectorAll("[data-photo-id]"), function (item) {
      return item.getAttribute("data-photo-id");
    }).join(",");
  }

  function clearTargets(list) {
    list.querySelectorAll(".is-drop-target").forEach(function (item) { item.classList.remove("is-drop-target"); });
  }

  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest("[data-gallery-sortable] [data-photo-id]");
    if (!item) return;
    dragged = item;
    item.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.getAttribute("data-photo-id"));
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) return;
    var item = event.target.closest && event.target.closest("[data-photo-id]");
    if (!item || item === dragged || item.parentNode !== dragged.parentNode) return;
    event.preventDefault();
    clearTargets(item.parentNode);
    item.classList.add("is-drop-target");
  });

  document.addEventListener("drop", function (event) {
    if (!dragged) return;
    var item = event.target.closest && event.target.closest("[data-photo-id]");
    var list = dragged.parentNode;
    if (!item || item === dragged || item.parentNode !== list) return;
    event.preventDefault();
    var items = Array.prototype.slice.call(list.children);
    var after = items.indexOf(item) > items.indexOf(dragged);
    list.insertBefore(dragged, after ? item.nextSibling : item);
    clearTargets(list);
    var form = document.getElementById(list.getAttribute("data-order-form"));
    if (form) {
      form.querySelector('input[name="order"]').value = orderOf(list);
      form.requestSubmit();
    }
  });

  document.addEventListener("dragend", function () {
    if (dragged) {
      dragged.classList.remove("is-dragging");
      if (dragged.parentNode) clearTargets(dragged.parentNode);
    }
    dragged = null;
  });
})();

// The age and height chips of the search: fill the two numbers and search again (links without JavaScript).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var chip = event.target.closest && event.target.closest(".band-chip[data-range]");
    if (!chip) return;
    var form = document.getElementById("search-form");
    var name = chip.getAttribute("data-range");
    var low = form && form.querySelector('[name="' + name + '_min"]');
    var high = form && form.querySelector('[name="' + name + '_max"]');
    if (!low || !high) return;
    event.preventDefault();
    low.value = chip.getAttribute("data-min");
    high.value = chip.getAttribute("data-max");
    low.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
