// Declaration form helpers: the end date follows start date + duration; one submit per click.
(function () {
  "use strict";
  function parse(text) {
    var m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec((text || "").trim());
    if (!m) return null;
    var d = new Date(+m[3], +m[2] - 1, +m[1]);
    return d.getMonth() === +m[2] - 1 ? d : null;
  }
  function addMonths(d, months) {
    var day = d.getDate(), target = new Date(d.getFullYear(), d.getMonth() + months, 1);
    var last = new Date(target.getFullYear(), target.getMonth() + 1, 0).getDate();
    target.setDate(Math.min(day, last));
    return target;
  }
  function fmt(d) {
    var p = function (n) { return (n < 10 ? "0" : "") + n; };
    return p(d.getDate()) + "/" + p(d.getMonth() + 1) + "/" + d.getFullYear();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var start = document.getElementById("f-start_date"), duration = document.getElementById("f-duration_months"),
        end = document.getElementById("f-end_date");
    function refresh() {
      var d = parse(start.value), m = parseInt(duration.value, 10);
      end.value = d && m ? fmt(addMonths(d, m)) : "";
    }
    if (start && duration && end) { start.addEventListener("input", refresh); duration.addEventListener("change", refresh); }
    document.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", function () {
        var button = form.querySelector("[data-once]");
        if (button) { setTimeout(function () { button.disabled = true; }, 0); }
      });
    });
  });
})();
