/* Minutes editor: keep the form's version in step with autosaves, and keep an unsent copy on
   this phone only while saving fails (no network). The copy is deleted as soon as the server
   confirms a save, and every copy is deleted at logout. Without JavaScript the Save button
   posts the whole form. */
(function () {
  "use strict";

  var PREFIX = "tv-minutes-";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function keyFor(id) { return PREFIX + id; }

  function snapshot(form) {
    var data = { version: form.querySelector('input[name="version"]').value, at: Date.now(),
                 sections: {}, adjourned: "" };
    form.querySelectorAll("textarea.minutes-section").forEach(function (t) {
      data.sections[t.name] = t.value;
    });
    var adj = form.querySelector('input[name="adjourned_at"]');
    if (adj) data.adjourned = adj.value;
    return data;
  }

  function keepCopy(form) {
    var s = storage();
    if (!s) return;
    try { s.setItem(keyFor(form.getAttribute("data-minutes-editor")), JSON.stringify(snapshot(form))); }
    catch (e) { /* storage full or refused: the server copy is all we have */ }
  }

  function dropCopy(id) {
    var s = storage();
    if (s) s.removeItem(keyFor(id));
  }

  function hasCopy(id) {
    var s = storage();
    return !!(s && s.getItem(keyFor(id)));
  }

  // On load: restore an unsent copy if it is newer than what the server has.
  function restore(form) {
    var s = storage();
    var id = form.getAttribute("data-minutes-editor");
    if (!s) return;
    var raw = s.getItem(keyFor(id));
    if (!raw) return;
    var data;
    try { data = JSON.parse(raw); } catch (e) { dropCopy(id); return; }
    var serverUpdated = parseInt(form.getAttribute("data-server-updated"), 10) || 0;
    if (!data || !data.at || data.at <= serverUpdated) { dropCopy(id); return; }
    Object.keys(data.sections || {}).forEach(function (name) {
      var t = form.querySelector('textarea[name="' + name + '"]');
      if (t) t.value = data.sections[name];
    });
    var adj = form.querySelector('input[name="adjourned_at"]');
    if (adj && typeof data.adjourned === "string") adj.value = data.adjourned;
    // Save against the version the copy started from: if someone saved since, the server
    // answers with the conflict view instead of overwriting their text.
    form.querySelector('input[name="version"]').value = data.version;
    var notice = document.getElementById("minutes-restored-" + id);
    if (notice) notice.hidden = false;
  }

  function editorOf(el) {
    return el && el.closest ? el.closest("form[data-minutes-editor]") : null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-minutes-editor]").forEach(restore);
  });

  // While a copy exists (saving failed), keep it current as the person types.
  document.addEventListener("input", function (evt) {
    var form = editorOf(evt.target);
    if (form && hasCopy(form.getAttribute("data-minutes-editor"))) keepCopy(form);
  });

  // Network failure of an autosave: keep the text on the phone.
  document.addEventListener("htmx:error", function (evt) {
    var form = editorOf(evt.target);
    if (form) keepCopy(form);
  });

  // A status answer arrived: take the new version; a confirmed save drops the local copy.
  document.addEventListener("htmx:after:swap", function () {
    document.querySelectorAll(".minutes-status[data-saved]").forEach(function (status) {
      var id = status.id.replace("minutes-status-", "");
      var form = document.querySelector('form[data-minutes-editor="' + id + '"]');
      if (!form) return;
      var version = status.getAttribute("data-version");
      if (version) form.querySelector('input[name="version"]').value = version;
      status.removeAttribute("data-saved");
      dropCopy(id);
    });
  });

  // Logging out deletes every unsent copy: app.js removes the "tv-minutes-" keys on any page.
})();
