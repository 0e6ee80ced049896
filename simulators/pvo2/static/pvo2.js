// Déclaration de garantie: the Spoticar declaration opens the centralisateur in a new window;
// PSA Insurance stays in this window (it answers with the policy number on the order). From
// Déclarer on, the order follows its declaration (the shared declaration_follow.js): the contract
// number shows here as soon as the centralisateur's callback lands, without reloading. A static
// file: the CSP forbids inline scripts.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var select = document.getElementById("garantisseur");
  if (!select || !select.form) { return; }
  function target() { select.form.target = select.value === "spoticar" ? "_blank" : "_self"; }
  select.addEventListener("change", target);
  target();
  select.form.addEventListener("submit", function () {
    if (select.value === "spoticar") window.DeclarationFollow.follow(document.getElementById("declaration-state"));
  });
});
