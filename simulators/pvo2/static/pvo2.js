// Déclaration de garantie: the Spoticar declaration opens the centralisateur in a new window;
// PSA Insurance stays in this window (it answers with the policy number on the order).
document.addEventListener("DOMContentLoaded", function () {
  var select = document.getElementById("garantisseur");
  if (!select || !select.form) { return; }
  function target() { select.form.target = select.value === "spoticar" ? "_blank" : "_self"; }
  select.addEventListener("change", target);
  target();
});
