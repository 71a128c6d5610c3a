/* skillpass: the little behaviour htmx does not give us (no build step, no framework).
   - upload progress: a <progress data-upload-progress> inside an hx-post form follows the upload;
   - after an htmx swap, focus moves to the first [data-focus-on-swap] element swapped in
     (pagination and result lists, so keyboard and screen-reader users land on the new content);
   - copy buttons: <button data-copy="#id"> copies the value or text of #id;
   - network errors show a message in #flash (htmx leaves the page silent otherwise);
   - table cells get their column's header as data-label (the phone layout shows it, app.css). */
(function () {
  "use strict";
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest ? event.target.closest("form") : null;
    var bar = form && form.querySelector("progress[data-upload-progress]");
    if (bar && event.detail.lengthComputable) {
      bar.hidden = false;
      bar.max = event.detail.total;
      bar.value = event.detail.loaded;
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var focus = target && (target.matches("[data-focus-on-swap]") ? target : target.querySelector("[data-focus-on-swap]"));
    if (!focus && target && target.id && target.isConnected === false) {
      focus = document.getElementById(target.id);
      focus = focus && (focus.matches("[data-focus-on-swap]") ? focus : focus.querySelector("[data-focus-on-swap]"));
    }
    if (focus && event.detail.requestConfig && event.detail.requestConfig.elt &&
        !event.detail.requestConfig.elt.matches("input, textarea, select")) {
      if (!focus.hasAttribute("tabindex")) focus.setAttribute("tabindex", "-1");
      focus.focus({preventScroll: false});
    }
  });
  document.addEventListener("htmx:sendError", function () {
    var flash = document.getElementById("flash");
    if (flash) {
      flash.innerHTML = "";
      var div = document.createElement("div");
      div.className = "alert error";
      div.setAttribute("role", "alert");
      div.textContent = document.body.getAttribute("data-network-error") || "Network error";
      flash.appendChild(div);
    }
  });
  // Each body cell learns its column's header (data-label), which the phone layout shows above it.
  function labelCells(root) {
    var tables = (root.querySelectorAll ? root : document).querySelectorAll(".table-wrap > table:not(.matrix)");
    Array.prototype.forEach.call(tables, function (table) {
      var heads = table.querySelectorAll("thead th");
      Array.prototype.forEach.call(table.querySelectorAll("tbody > tr"), function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (heads[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[i].textContent.trim());
        });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { labelCells(document); });
  } else { labelCells(document); }
  document.addEventListener("htmx:afterSettle", function (event) { labelCells(event.detail.elt.parentNode || document); });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.value || source.textContent.trim()).then(function () {
      var done = button.getAttribute("data-copied");
      if (done) { button.textContent = done; }
    });
  });
})();
