/* Field work on a slow or dropping connection: keep a draft of everything typed in
   localStorage, save each answer at once (htmx), record the start position if allowed. */
(function () {
  "use strict";
  // Draft keys are the signed-in person's (web/app.js); signed out, nothing is kept.
  function prefix() {
    return window.WorkSafe ? window.WorkSafe.draftPrefix() : null;
  }

  function store() {
    if (!prefix()) { return null; }
    try { return window.localStorage; } catch (e) { return null; }
  }

  function keyOf(form, field) {
    return prefix() + form.getAttribute("data-draft-form") + ":" + field.name;
  }

  function restore(root) {
    var ls = store();
    if (!ls) { return; }
    root.querySelectorAll("form[data-draft-form]").forEach(function (form) {
      form.querySelectorAll("input[type=text], input[type=number], input[type=date], textarea").forEach(function (field) {
        var saved = ls.getItem(keyOf(form, field));
        if (saved !== null && !field.value) { field.value = saved; }
      });
    });
  }

  function clearDraft(form) {
    var ls = store();
    if (!ls || !form || !form.getAttribute("data-draft-form")) { return; }
    form.querySelectorAll("input, textarea").forEach(function (field) {
      if (field.name) { ls.removeItem(keyOf(form, field)); }
    });
    ls.removeItem(keyOf(form, { name: "result" }));
  }

  // The answer tapped is kept too: if the request never arrives, it is sent again once the
  // phone is back online (or the page is reopened).
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[name=result]") : null;
    var ls = store();
    if (button && ls && button.form && button.form.getAttribute("data-draft-form")) {
      ls.setItem(keyOf(button.form, button), button.value);
    }
  });

  function unsentAnswers() {
    var ls = store();
    var pending = [];
    if (!ls) { return pending; }
    document.querySelectorAll("form[data-draft-form][hx-post]").forEach(function (form) {
      var value = ls.getItem(keyOf(form, { name: "result" }));
      if (value) { pending.push([form, value]); }
    });
    return pending;
  }

  function resend() {
    if (navigator.onLine === false) { return; }
    unsentAnswers().forEach(function (entry) {
      var button = entry[0].querySelector('button[name=result][value="' + entry[1] + '"]');
      if (button) { button.click(); }
    });
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    var form = field.form;
    var ls = store();
    if (ls && form && form.getAttribute("data-draft-form") && field.name && field.type !== "file") {
      ls.setItem(keyOf(form, field), field.value);
    }
  });

  document.addEventListener("submit", function (event) {
    // A full-page submit that reaches the server will redirect; the draft goes when it succeeds.
    var form = event.target;
    if (form.getAttribute("data-draft-form") && !form.hasAttribute("hx-post")) {
      form.setAttribute("data-pending", "1");
      sessionStorage.setItem("worksafe-pending", form.getAttribute("data-draft-form"));
    }
  });

  // Before the saved answer replaces the form (afterRequest would fire on its parent).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt;
    var form = elt && elt.closest ? elt.closest("form") : null;
    if (event.detail.xhr && event.detail.xhr.status === 200) { clearDraft(form); }
  });

  function showOffline(on) {
    document.querySelectorAll("[data-offline-banner]").forEach(function (el) { el.hidden = !on; });
  }
  document.addEventListener("htmx:sendError", function () { showOffline(true); });
  window.addEventListener("offline", function () { showOffline(true); });
  window.addEventListener("online", function () { showOffline(false); resend(); });

  document.addEventListener("htmx:afterSwap", function (event) { restore(event.target); });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[type=file][data-autosubmit]") && input.files.length) {
      input.form.submit();
    }
  });

  // A field marked data-for-kinds="fine …" shows only while the form's kind is one of them
  // (an amount only for a fine); without script every field stays visible.
  function showForKind(form) {
    var kind = form.querySelector("select[name=kind]");
    if (!kind) { return; }
    form.querySelectorAll("[data-for-kinds]").forEach(function (field) {
      var wanted = field.getAttribute("data-for-kinds").split(" ");
      var box = field.closest(".insp-field") || field;
      box.hidden = wanted.indexOf(kind.value) === -1;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[name=kind]") && event.target.form) {
      showForKind(event.target.form);
    }
  });

  function geolocate() {
    document.querySelectorAll("form[data-geolocate]").forEach(function (form) {
      if (!navigator.geolocation) { return; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("[name=lng]").value = pos.coords.longitude.toFixed(6);
        var status = form.querySelector("[data-geo-status]");
        if (status) { status.textContent = pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5); }
      }, function () {}, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    // The previous page's full submit succeeded if no form error is shown: drop its draft.
    var pending = sessionStorage.getItem("worksafe-pending");
    if (pending) {
      sessionStorage.removeItem("worksafe-pending");
      if (!document.querySelector(".insp-error, .insp-errors")) {
        var ls = store();
        if (ls) {
          Object.keys(ls).forEach(function (k) { if (k.indexOf(prefix() + pending + ":") === 0) { ls.removeItem(k); } });
        }
      }
    }
    restore(document);
    document.querySelectorAll("form").forEach(showForKind);
    geolocate();
    if (unsentAnswers().length) { showOffline(navigator.onLine === false); resend(); }
  });
})();
