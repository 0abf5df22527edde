// The report switcher keeps the reader's section: the current #anchor goes with the link.
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a.c5-switch") : null;
  if (link && window.location.hash) {
    link.href = link.href.split("#")[0] + window.location.hash;
  }
});

// Material wraps Markdown tables in a box that scrolls at phone width; a box that scrolls must
// take the keyboard focus and say what it holds (axe: scrollable-region-focusable).
function c5FocusableTables() {
  document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box, i) {
    if (box.hasAttribute("tabindex")) return;
    var head = box.querySelector("th");
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Table " + (i + 1) + (head ? ": " + head.textContent.trim() : ""));
  });
}
if (typeof document$ !== "undefined") {
  document$.subscribe(c5FocusableTables);
} else {
  document.addEventListener("DOMContentLoaded", c5FocusableTables);
}
