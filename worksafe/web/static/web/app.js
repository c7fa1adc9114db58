// WorkSafe page behaviour: no inline handlers (the CSP forbids them), everything by data- attributes.
(function () {
  "use strict";

  // <form data-confirm="Are you sure?"> asks before submitting. A required field holding only
  // spaces is empty (the server says so too): the browser then marks it, and nothing is asked.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var blank = Array.prototype.filter.call(form.elements || [], function (el) {
      return el.required && typeof el.value === "string" && el.value !== "" && el.value.trim() === "";
    });
    if (blank.length) {
      blank.forEach(function (el) { el.value = ""; });
      event.preventDefault();
      form.reportValidity();
      return;
    }
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);

  // <form data-draft="key"> keeps what was typed in localStorage, so a dropped connection or a
  // closed tab loses nothing; a page carrying data-draft-clear="key" forgets it once saved.
  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function draftKey(name) { return "worksafe-draft:" + name; }

  function restore(form, store) {
    // After a server-side error the form already holds what was sent: leave it alone.
    if (form.querySelector(".errorlist")) return;
    var saved;
    try { saved = JSON.parse(store.getItem(draftKey(form.dataset.draft)) || "{}"); } catch (e) { saved = {}; }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "hidden" || el.disabled) return;
      if (Object.prototype.hasOwnProperty.call(saved, el.name) && saved[el.name] !== "") {
        el.value = saved[el.name];
      }
    });
  }

  function save(form, store) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.type !== "file" && el.type !== "hidden" && el.type !== "password" && !el.disabled) {
        data[el.name] = el.value;
      }
    });
    store.setItem(draftKey(form.dataset.draft), JSON.stringify(data));
  }

  function init() {
    var store = storage();
    if (!store) return;
    document.querySelectorAll("[data-draft-clear]").forEach(function (el) {
      store.removeItem(draftKey(el.getAttribute("data-draft-clear")));
    });
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      restore(form, store);
      form.addEventListener("input", function () { save(form, store); });
      form.addEventListener("change", function () { save(form, store); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
