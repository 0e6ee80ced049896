// Tec3H: the referential autocomplete (Modèle, Version → Equivalence constructeur) and, right after
// Envoyer, the centralisateur's declaration opened in a new window (the card's warranty state is
// followed by the shared declaration_follow.js). A static file: the CSP forbids inline scripts.
(function () {
  "use strict";

  function debounce(fn, ms) {
    let timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  function combobox(input, list, fetchOptions, onChoose) {
    let seq = 0;
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); }
    function render(options) {
      list.replaceChildren();
      options.forEach(function (opt, i) {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = list.id + "-" + i;
        li.textContent = opt.text;
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
        li.addEventListener("click", function () { onChoose(opt); close(); });
        list.appendChild(li);
      });
      if (!options.length) {
        const li = document.createElement("li");
        li.className = "empty";
        li.textContent = "Aucune proposition du référentiel";
        list.appendChild(li);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    const refresh = debounce(function () {
      const mine = ++seq;
      fetchOptions().then(function (options) { if (mine === seq) render(options); });
    }, 120);
    input.addEventListener("input", refresh);
    input.addEventListener("focus", refresh);
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    input.addEventListener("keydown", function (ev) {
      const items = Array.from(list.querySelectorAll("[role=option]"));
      if (ev.key === "Escape") { close(); return; }
      if (ev.key === "Enter" && !list.hidden && items.length) {
        ev.preventDefault();
        const active = list.querySelector("[aria-selected=true]") || items[0];
        active.click();
      }
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        let i = items.findIndex(function (it) { return it.getAttribute("aria-selected") === "true"; });
        i = ev.key === "ArrowDown" ? Math.min(i + 1, items.length - 1) : Math.max(i - 1, 0);
        items.forEach(function (it, j) { it.setAttribute("aria-selected", j === i ? "true" : "false"); });
        if (items[i]) input.setAttribute("aria-activedescendant", items[i].id);
      }
    });
  }

  function vehicleForm(form) {
    const field = function (id) { return document.getElementById(id); };
    const params = function (extra) {
      const p = new URLSearchParams({ marque: field("marque").value, mec: field("mec").value,
                                      energie: field("energie").value });
      Object.keys(extra).forEach(function (k) { p.set(k, extra[k]); });
      return p.toString();
    };
    function clearVersion() {
      field("version").value = ""; field("version_id").value = ""; field("equivalence").value = "";
    }
    combobox(field("modele"), field("modele-options"), function () {
      return fetch(form.dataset.modelsUrl + "?" + params({ q: field("modele").value }))
        .then(function (r) { return r.json(); })
        .then(function (data) { return data.models.map(function (m) { return { text: m, value: m }; }); });
    }, function (opt) { field("modele").value = opt.value; clearVersion(); });
    combobox(field("version"), field("version-options"), function () {
      return fetch(form.dataset.versionsUrl + "?" + params({ modele: field("modele").value, q: field("version").value }))
        .then(function (r) { return r.json(); })
        .then(function (data) {
          return data.versions.map(function (v) { return { text: v.description, value: v }; });
        });
    }, function (opt) {
      field("version").value = opt.value.label;
      field("version_id").value = opt.value.id;
      field("equivalence").value = opt.value.equivalence;
    });
    field("version").addEventListener("input", function () {
      field("version_id").value = ""; field("equivalence").value = "";
    });
    ["marque", "mec", "energie"].forEach(function (id) { field(id).addEventListener("change", clearVersion); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("vehicle-form");
    if (form) vehicleForm(form);
    const box = document.getElementById("warranty-state");
    if (box && box.dataset.autoOpen) {
      // Right after Envoyer: the centralisateur's declaration opens in a new window. A browser
      // that blocks it leaves the "Ouvrir la déclaration sur le centralisateur" link.
      window.open(box.dataset.autoOpen, "_blank", "noopener");
    }
  });
})();
