// Choose words in a contribution to take out: select them in the text and they are put in
// the "Another detail to take out" field. Only an enhancement: without JavaScript the
// field takes the words typed in.
(function () {
  "use strict";
  var text = document.querySelector("[data-pick-into]");
  if (!text) { return; }
  var field = document.getElementById(text.getAttribute("data-pick-into"));
  if (!field) { return; }

  function pick() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) { return; }
    var range = selection.getRangeAt(0);
    if (!text.contains(range.commonAncestorContainer)) { return; }
    var words = selection.toString().replace(/\s+/g, " ").trim();
    if (words && words.length <= 300) { field.value = words; }
  }

  text.addEventListener("mouseup", pick);
  text.addEventListener("touchend", function () { window.setTimeout(pick, 0); });
  text.addEventListener("keyup", pick);
})();
