// Dashboard scope picker: "kind:id" in one select becomes scope_kind and scope_id parameters.
(function () {
  "use strict";
  var form = document.querySelector("[data-testid=dashboard-filters]");
  if (!form) { return; }
  form.addEventListener("submit", function () {
    var select = form.querySelector("select[name=scope]");
    if (!select) { return; }
    var parts = select.value.split(":");
    ["scope_kind", "scope_id"].forEach(function (name, i) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = name; input.value = parts[i];
      form.appendChild(input);
    });
    select.disabled = true;
  });
})();
