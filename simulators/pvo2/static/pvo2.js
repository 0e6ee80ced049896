// Déclaration de garantie: the Spoticar declaration opens the centralisateur in a new window;
// PSA Insurance stays in this window (it answers with the policy number on the order). From
// Déclarer on, the order follows its declaration (server-sent events): the contract number shows
// here as soon as the centralisateur's callback lands, without reloading. A static file: the CSP
// forbids inline scripts.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.getElementById("declaration-state");
  var select = document.getElementById("garantisseur");
  var following = false;

  function paragraph(testId, className, text) {
    var p = document.createElement("p");
    if (testId) p.setAttribute("data-testid", testId);
    if (className) p.className = className;
    p.textContent = text;
    return p;
  }

  function show(state) {
    if (!state.bdc_number) return;
    var status = paragraph("declaration-status", "", "Déclaration de garantie Spoticar — bon de commande N° " +
                           state.bdc_number + " : ");
    var label = document.createElement("span");
    label.className = "status";
    label.textContent = state.status_text || state.status;
    status.appendChild(label);
    var parts = [status];
    if (state.contract_number) {
      parts.push(paragraph("contract-number", "contract", "Numéro de contrat : " + state.contract_number));
      if (select && select.form) select.form.hidden = true;  // declared: nothing left to declare here
    } else if (state.declaration_url) {
      var link = document.createElement("a");
      link.href = state.declaration_url; link.target = "_blank"; link.rel = "noopener";
      link.textContent = "Ouvrir la déclaration sur le centralisateur";
      var p = document.createElement("p"); p.appendChild(link); parts.push(p);
    }
    box.replaceChildren.apply(box, parts);
  }

  function follow() {
    if (following || !box || !window.EventSource) return;  // without EventSource: reloading shows it
    following = true;
    var source = new EventSource(box.dataset.eventsUrl);
    source.onmessage = function (event) {
      var state = JSON.parse(event.data);
      if (state.status && state.status !== box.dataset.status) show(state);
      if (state.contract_number || state.status === "declared" || state.status === "refused") source.close();
    };
    source.addEventListener("busy", function () { source.close(); });  // the server has no stream to spare
  }

  if (box && ["pending", "contract_pending"].indexOf(box.dataset.status) >= 0) follow();
  if (!select || !select.form) { return; }
  function target() { select.form.target = select.value === "spoticar" ? "_blank" : "_self"; }
  select.addEventListener("change", target);
  target();
  select.form.addEventListener("submit", function () { if (select.value === "spoticar") follow(); });
});
