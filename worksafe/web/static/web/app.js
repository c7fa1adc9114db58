// WorkSafe page behaviour: no inline handlers (the CSP forbids them), everything by data- attributes.
(function () {
  "use strict";

  // <form data-confirm="Are you sure?"> asks before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);

  // <form data-draft="key"> keeps what was typed in localStorage, so a dropped connection or a
  // closed tab loses nothing; a page carrying data-draft-clear="key" forgets it once saved.
  // Drafts belong to the signed-in person: keys carry <body data-draft-owner> (a per-user value
  // the server renders), another person's drafts are dropped when they sign in on the same
  // browser, and signing out drops them all. Without an owner (signed out) nothing is kept.
  var PREFIX = "worksafe-draft:";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function draftPrefix() {
    var owner = document.body && document.body.getAttribute("data-draft-owner");
    return owner ? PREFIX + owner + ":" : null;
  }

  // Every draft key except those starting with `keep`.
  function forgetDrafts(store, keep) {
    Object.keys(store).forEach(function (key) {
      if (key.indexOf(PREFIX) === 0 && !(keep && key.indexOf(keep) === 0)) store.removeItem(key);
    });
  }

  window.WorkSafe = { draftPrefix: draftPrefix };

  document.addEventListener("submit", function (event) {
    var store = event.target.hasAttribute && event.target.hasAttribute("data-draft-logout") && storage();
    if (store) forgetDrafts(store, null);
  });

  function draftKey(name) { return draftPrefix() + name; }

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
    var prefix = draftPrefix();
    if (!store || !prefix) return;
    forgetDrafts(store, prefix);
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
