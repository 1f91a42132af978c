// The rule workbench: click to insert a name at the cursor, filter the list of names.
// No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  var input = document.getElementById("id_expression");
  if (!input) { return; }

  function insert(text) {
    var start = input.selectionStart, end = input.selectionEnd;
    if (typeof start !== "number") { start = end = input.value.length; }
    input.value = input.value.slice(0, start) + text + input.value.slice(end);
    var caret = start + text.length;
    input.focus();
    input.setSelectionRange(caret, caret);
    // The check runs on keyup (htmx "keyup changed delay:300ms"): announce the change the same way.
    input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".qx-insert[data-insert]");
    if (button) {
      event.preventDefault();
      insert(button.getAttribute("data-insert"));
    }
  });

  var filter = document.getElementById("wb-palette-filter");
  if (filter) {
    filter.addEventListener("input", function () {
      var words = filter.value.trim().toLowerCase();
      document.querySelectorAll(".qx-filterable").forEach(function (item) {
        var hay = (item.getAttribute("data-search") || "").toLowerCase();
        item.classList.toggle("is-hidden", words !== "" && hay.indexOf(words) === -1);
      });
    });
  }
})();
