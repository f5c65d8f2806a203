// Private notes on a trial page, kept in this browser (localStorage), and shared through a
// passcode-protected link: the note is encrypted here (PBKDF2-SHA256 600,000 rounds -> AES-256-GCM)
// and the server keeps only the ciphertext. No inline script: the CSP forbids it.
(function () {
  "use strict";
  var ROUNDS = 600000;
  var enc = new TextEncoder(), dec = new TextDecoder();
  function b64(bytes) { var s = ""; bytes.forEach(function (b) { s += String.fromCharCode(b); }); return btoa(s); }
  function unb64(text) { return Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); }); }
  function key(passcode, salt) {
    return crypto.subtle.importKey("raw", enc.encode(passcode), "PBKDF2", false, ["deriveKey"]).then(function (base) {
      return crypto.subtle.deriveKey({ name: "PBKDF2", salt: salt, iterations: ROUNDS, hash: "SHA-256" },
        base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
    });
  }
  function csrf() { var m = document.querySelector('meta[name="csrf-token"]'); return m ? m.content : ""; }
  function text(el, value) { el.textContent = value; return el; }

  var panel = document.getElementById("notes");
  if (panel) {
    var trial = panel.getAttribute("data-trial"), store = "remission-notes:" + trial;
    var list = panel.querySelector("ol"), quote = panel.querySelector("#note-quote");
    var area = panel.querySelector("#note-text"), status = panel.querySelector("[role=status]");
    panel.hidden = false;
    function load() { try { return JSON.parse(localStorage.getItem(store) || "[]"); } catch (e) { return []; } }
    function save(notes) { localStorage.setItem(store, JSON.stringify(notes)); show(); }
    function show() {
      list.replaceChildren();
      load().forEach(function (n, i) {
        var li = document.createElement("li");
        if (n.quote) { li.appendChild(text(document.createElement("q"), n.quote)); li.appendChild(document.createElement("br")); }
        li.appendChild(text(document.createElement("span"), n.text));
        var del = text(document.createElement("button"), panel.getAttribute("data-delete"));
        del.type = "button"; del.className = "link";
        del.addEventListener("click", function () { var all = load(); all.splice(i, 1); save(all); });
        li.appendChild(document.createTextNode(" ")); li.appendChild(del);
        list.appendChild(li);
      });
    }
    document.addEventListener("selectionchange", function () {
      var s = window.getSelection(), t = s ? s.toString().trim() : "";
      if (t && panel.previousElementSibling && !panel.contains(s.anchorNode)) { quote.value = t.slice(0, 500); }
    });
    panel.querySelector("#note-add").addEventListener("click", function () {
      if (!area.value.trim()) { area.focus(); return; }
      var all = load(); all.push({ quote: quote.value, text: area.value.trim().slice(0, 2000), at: new Date().toISOString() });
      area.value = ""; quote.value = ""; save(all); text(status, panel.getAttribute("data-saved"));
    });
    panel.querySelector("#note-share").addEventListener("click", function () {
      var pass = panel.querySelector("#note-pass").value;
      if (pass.length < 8) { text(status, panel.getAttribute("data-short")); return; }
      var salt = crypto.getRandomValues(new Uint8Array(16)), iv = crypto.getRandomValues(new Uint8Array(12));
      key(pass, salt).then(function (k) {
        return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, k, enc.encode(JSON.stringify(load())));
      }).then(function (sealed) {
        return fetch("/api/v1/notes", { method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
          body: JSON.stringify({ trial_id: trial, salt: b64(salt), iv: b64(iv), ciphertext: b64(new Uint8Array(sealed)) }) });
      }).then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); }).then(function (note) {
        var link = panel.querySelector("#note-link");
        link.href = "/notes/" + note.id; link.textContent = location.origin + "/notes/" + note.id; link.hidden = false;
        text(status, panel.getAttribute("data-shared"));
      }).catch(function () { text(status, panel.getAttribute("data-failed")); });
    });
    show();
  }

  var reader = document.getElementById("note-reader");
  if (reader) {
    reader.hidden = false;
    reader.addEventListener("submit", function (event) {
      event.preventDefault();
      var out = document.getElementById("note-out"), pass = reader.querySelector("#passcode").value;
      fetch("/api/v1/notes/" + reader.getAttribute("data-note")).then(function (r) {
        if (!r.ok) { throw new Error("gone"); } return r.json();
      }).then(function (note) {
        return key(pass, unb64(note.salt)).then(function (k) {
          return crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(note.iv) }, k, unb64(note.ciphertext));
        }).then(function (plain) {
          out.replaceChildren();
          var h = text(document.createElement("p"), ""); var a = text(document.createElement("a"), note.trial_id);
          a.href = "/trials/" + note.trial_id; h.appendChild(a); out.appendChild(h);
          var ol = document.createElement("ol");
          JSON.parse(dec.decode(plain)).forEach(function (n) {
            var li = document.createElement("li");
            if (n.quote) { li.appendChild(text(document.createElement("q"), n.quote)); li.appendChild(document.createElement("br")); }
            li.appendChild(text(document.createElement("span"), n.text)); ol.appendChild(li);
          });
          out.appendChild(ol);
        });
      }).catch(function () { text(out, reader.getAttribute("data-wrong")); });
    });
  }
})();
