// sv-atlas page enhancements. Pages work fully without this script; it only adds conveniences.
// Kept small and dependency-free on purpose (no framework to download, audit or update).
"use strict";

// Map tooltips: show an area's <title> (name and value) next to the pointer or the focused
// area. The native title tooltip is blanked while ours shows so the two do not stack; screen
// readers keep the link's aria-label.
(function () {
  var tip = null;
  var current = null;
  var saved = "";

  function areaOf(target) {
    var a = target && target.closest ? target.closest("svg.choropleth a") : null;
    return a ? a.querySelector("path[data-area]") : null;
  }

  function show(path, x, y) {
    var title = path.querySelector("title");
    if (!title) return;
    if (current !== path) {
      hide();
      current = path;
      saved = title.textContent;
      title.textContent = "";
    }
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "map-tooltip";
      tip.setAttribute("aria-hidden", "true");
      document.body.appendChild(tip);
    }
    tip.textContent = saved;
    tip.hidden = false;
    tip.style.left = Math.round(x + window.scrollX + 12) + "px";
    tip.style.top = Math.round(y + window.scrollY + 12) + "px";
  }

  function hide() {
    if (current) {
      var title = current.querySelector("title");
      if (title && title.textContent === "") title.textContent = saved;
    }
    current = null;
    if (tip) tip.hidden = true;
  }

  document.addEventListener("mousemove", function (e) {
    var path = areaOf(e.target);
    if (path) show(path, e.clientX, e.clientY);
    else if (current) hide();
  });
  document.addEventListener("focusin", function (e) {
    var path = areaOf(e.target);
    if (!path) return;
    var box = path.getBoundingClientRect();
    show(path, box.left + box.width / 2, box.top + box.height / 2);
  });
  document.addEventListener("focusout", hide);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") hide();
  });
})();
