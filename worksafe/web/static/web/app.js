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

  // The menu is a <details>: a button on phones, open on one row on wide screens.
  var wide = window.matchMedia("(min-width: 1100px)");
  function placeMenu() {
    document.querySelectorAll("details[data-menu]").forEach(function (menu) { menu.open = wide.matches; });
  }

  // Mark where the reader is: the longest navigation link that starts the current path.
  function markCurrent() {
    var path = window.location.pathname;
    document.querySelectorAll("nav[aria-label]").forEach(function (nav) {
      var best = null;
      nav.querySelectorAll("a[href]").forEach(function (link) {
        var href = link.getAttribute("href");
        if (href !== "/" && path.indexOf(href) === 0 && (!best || href.length > best.getAttribute("href").length)) {
          best = link;
        }
      });
      if (best) { best.setAttribute("aria-current", "page"); }
    });
  }

  // After a refused submit, the error summary takes the focus so it is read first.
  function focusErrors() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  // What an htmx swap saved or refused is said aloud through one lasting live region
  // (a region swapped in with its text is not announced).
  document.addEventListener("htmx:afterSwap", function () {
    var live = document.getElementById("live-status");
    var said = document.querySelector("[data-saved], .insp-error");
    if (live && said) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = said.textContent; }, 50);
    }
  });

  // Pickers: a tap on a region or enterprise fills the field it belongs to.
  document.addEventListener("click", function (event) {
    var option = event.target.closest ? event.target.closest("[data-pick]") : null;
    var picker = option && option.closest("[data-picker]");
    if (!picker) return;
    var value = picker.querySelector("[data-picker-value]") || picker.querySelector("input");
    value.value = option.getAttribute("data-pick");
    value.dispatchEvent(new Event("change", { bubbles: true }));
    var label = picker.querySelector("[data-picker-label]");
    if (label) label.textContent = option.getAttribute("data-pick-label");
    var search = picker.querySelector("[data-picker-search]");
    if (search) {
      search.value = option.getAttribute("data-pick-label");
      search.focus();
    }
    var options = picker.querySelector(".picker-options");
    if (options) options.hidden = true;
    var panel = picker.querySelector("details.picker-panel");
    if (panel) panel.open = false;
  });

  // Enterprise search as you type: the scoped endpoint answers with at most ~20 options.
  var searchTimer = null;
  document.addEventListener("input", function (event) {
    var search = event.target;
    if (!search.matches || !search.matches("[data-picker-search]")) return;
    var picker = search.closest("[data-picker]");
    var options = picker.querySelector(".picker-options");
    picker.querySelector("[data-picker-value]").value = "";
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(function () {
      var url = search.getAttribute("data-picker-search") + "?q=" + encodeURIComponent(search.value);
      fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { options.innerHTML = html; options.hidden = !search.value; });
    }, 250);
  });

  function init() {
    placeMenu();
    if (wide.addEventListener) { wide.addEventListener("change", placeMenu); }
    markCurrent();
    focusErrors();
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
