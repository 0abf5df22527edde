// The report switcher keeps the reader's section: the current #anchor goes with the link.
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a.c5-switch") : null;
  if (link && window.location.hash) {
    link.href = link.href.split("#")[0] + window.location.hash;
  }
});
