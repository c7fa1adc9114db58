// Organization form: show only the part (enterprise or department) of the chosen kind. Without
// script both parts show and the service ignores the other kind's fields.
(function () {
  "use strict";
  function sync(form) {
    var kind = form.querySelector("[name=kind]");
    if (!kind) return;
    form.querySelectorAll("fieldset[data-kind]").forEach(function (part) {
      part.hidden = part.getAttribute("data-kind") !== kind.value;
    });
  }
  function init() {
    document.querySelectorAll("form[data-kind-form]").forEach(function (form) {
      sync(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "kind") sync(form);
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
