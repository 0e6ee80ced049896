// Services.Spoticar: each password rule turns green as soon as the typed password meets it.
(function () {
  "use strict";
  var checks = {
    length: function (pw) { return pw.length >= 15; },
    upper: function (pw) { return pw !== pw.toLowerCase(); },
    lower: function (pw) { return pw !== pw.toUpperCase(); },
    digit: function (pw) { return /[0-9]/.test(pw); },
    special: function (pw) { return /[^\p{L}\p{N}\s€]/u.test(pw); }
  };
  function update(input, rules) {
    rules.forEach(function (item) {
      var ok = checks[item.dataset.rule] && checks[item.dataset.rule](input.value);
      item.classList.toggle("ok", !!ok);
      item.classList.toggle("ko", !ok);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var input = document.getElementById("password");
    var rules = Array.prototype.slice.call(document.querySelectorAll("#password-rules [data-rule]"));
    if (!input || !rules.length) { return; }
    input.addEventListener("input", function () { update(input, rules); });
    update(input, rules);
  });
})();
