/* The statement editor: live preview (rendered by the portal, the same renderer as the PDF),
   word count, and a copy of unsaved text in localStorage so a closed tab loses nothing.
   No framework, no dependencies. Without this script the form's Preview button does the same
   on the server. */
(function () {
  "use strict";
  var DELAY = 400;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function init(editor) {
    var form = editor.closest("form");
    var title = form.querySelector('[name="title"]');
    var body = form.querySelector('[name="body"]');
    var note = form.querySelector('[name="note"]');
    var base = form.querySelector('[name="base_revision_id"]');
    var preview = editor.querySelector("[data-preview]");
    var status = editor.querySelector("[data-preview-status]");
    var words = editor.querySelector("[data-words]");
    var pages = editor.querySelector("[data-pages]");
    var key = "portal-draft:" + editor.getAttribute("data-draft-key");
    var url = editor.getAttribute("data-preview-url");
    // The venue's checks (word count against its limit, every rule broken), when the round
    // has a venue profile: the server renders them again from the text being written.
    var checksHolder = form.querySelector("[data-checks-url]");
    var timer = null;
    var inFlight = null;
    var lastSent = null;

    function snapshot() {
      return {
        title: title ? title.value : "",
        body: body.value,
        note: note ? note.value : "",
        base: base ? base.value : "",
        saved: new Date().toISOString()
      };
    }

    function remember() {
      try {
        window.localStorage.setItem(key, JSON.stringify(snapshot()));
      } catch (e) { /* storage full or disabled: the server copy is all there is */ }
    }

    function stored() {
      try {
        var raw = window.localStorage.getItem(key);
        return raw ? JSON.parse(raw) : null;
      } catch (e) {
        return null;
      }
    }

    function forget() {
      try { window.localStorage.removeItem(key); } catch (e) { /* nothing to forget */ }
    }

    function refresh() {
      var text = body.value;
      if (text === lastSent) { return; }
      lastSent = text;
      if (inFlight) { inFlight.abort(); }
      inFlight = new AbortController();
      status.textContent = document.body.dataset.msgUpdating || "(updating…)";
      var data = new FormData();
      data.append("body", text);
      // A new statement's language is chosen in the same form: the preview is set in it.
      var language = body.form && body.form.elements.namedItem("language");
      if (language && language.value) { data.append("language", language.value); }
      if (checksHolder) { refreshChecks(data); }
      fetch(url, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
        credentials: "same-origin",
        signal: inFlight.signal
      }).then(function (response) {
        if (!response.ok) { throw new Error("preview failed: " + response.status); }
        if (words) { words.textContent = response.headers.get("X-Word-Count") || words.textContent; }
        if (pages) {
          pages.textContent = response.headers.get("X-Page-Estimate") || pages.textContent;
          var unit = editor.querySelector("[data-pages-unit]");
          if (unit) {
            // The words from templates/base.html (French and Spanish have their own plurals).
            var one = pages.textContent === "1";
            unit.textContent = (one ? document.body.dataset.msgPage : document.body.dataset.msgPages)
              || (one ? "page" : "pages");
          }
        }
        return response.text();
      }).then(function (html) {
        // The fragment comes from the portal's sanitizing renderer: no raw HTML survives it.
        preview.innerHTML = html;
        status.textContent = "";
      }).catch(function (error) {
        if (error && error.name === "AbortError") { return; }
        status.textContent = document.body.dataset.msgPreviewUnavailable
          || "(preview unavailable — use the Preview button)";
        lastSent = null;
      });
    }

    function refreshChecks(data) {
      var checksData = new FormData();
      checksData.append("body", data.get("body"));
      if (title) { checksData.append("title", title.value); }
      fetch(checksHolder.getAttribute("data-checks-url"), {
        method: "POST",
        body: checksData,
        headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) { throw new Error("checks failed: " + response.status); }
        return response.text();
      }).then(function (html) {
        // Rendered by the portal's own template: every message is escaped there.
        checksHolder.innerHTML = html;
      }).catch(function () { /* the checks shown stay; saving re-checks on the server */ });
    }

    function changed() {
      remember();
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DELAY);
    }

    // Offer text this browser kept from an earlier visit, unless it is what the form holds.
    var kept = stored();
    var banner = editor.querySelector(".editor-restore");
    if (kept && (kept.body !== body.value || (title && kept.title !== title.value))) {
      banner.hidden = false;
      var when = new Date(kept.saved);
      banner.querySelector("[data-restore-time]").textContent =
        isNaN(when) ? "earlier" : when.toLocaleString();
      banner.querySelector("[data-restore]").addEventListener("click", function () {
        if (title) { title.value = kept.title; }
        body.value = kept.body;
        if (note && kept.note) { note.value = kept.note; }
        banner.hidden = true;
        changed();
        body.focus();
      });
      banner.querySelector("[data-discard]").addEventListener("click", function () {
        forget();
        banner.hidden = true;
      });
    } else if (kept) {
      forget();
    }

    body.addEventListener("input", changed);
    if (title) { title.addEventListener("input", remember); }
    if (note) { note.addEventListener("input", remember); }
    lastSent = body.value;
  }

  document.querySelectorAll("[data-editor]").forEach(init);
})();
