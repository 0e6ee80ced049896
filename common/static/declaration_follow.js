// A DMS page following the Spoticar declaration it handed off (PVO2's order, Tec3H's Garantie tab):
// the state is pushed by server-sent events as soon as the centralisateur's callback lands; the page
// polls its JSON state instead when the browser has no EventSource, when the server says "busy" (no
// stream to spare) or when the stream fails for good. One script for every DMS (the CSP forbids
// inline scripts); the page's markup says where the state shows:
//   data-follow-declaration   the box: data-events-url, data-state-url, data-status (the current one)
//   data-state-text="NAME"    its text becomes state.NAME (when the state has one)
//   data-state-href="NAME"    its link becomes state.NAME
//   data-state-shown="NAME"   shown only once state.NAME is set
//   data-state-hidden="NAME"  hidden once state.NAME is set
// A page starts following by itself when data-status is a waiting status; PVO2 also calls
// DeclarationFollow.follow(box) when Déclarer opens the declaration in another window.
(function () {
  "use strict";
  var WAITING = ["pending", "contract_pending"];  // sent, the contract number still to come
  var POLL_EVERY = 2000, POLL_RETRY = 5000;

  function isFinal(state) {
    return Boolean(state.contract_number) || (Boolean(state.status) && WAITING.indexOf(state.status) < 0);
  }

  function each(box, attribute, fn) {
    Array.prototype.forEach.call(box.querySelectorAll("[" + attribute + "]"), function (el) {
      fn(el, el.getAttribute(attribute));
    });
  }

  function show(box, state) {
    if (!state.status) return;  // nothing handed off yet
    box.dataset.status = state.status;
    each(box, "data-state-text", function (el, name) { if (state[name]) el.textContent = state[name]; });
    each(box, "data-state-href", function (el, name) { if (state[name]) el.href = state[name]; });
    each(box, "data-state-shown", function (el, name) { el.hidden = !state[name]; });
    each(box, "data-state-hidden", function (el, name) { if (state[name]) el.hidden = true; });
  }

  function poll(box) {
    var tick = function () {
      fetch(box.dataset.stateUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (state) {
          show(box, state);
          if (!isFinal(state)) setTimeout(tick, POLL_EVERY);
        })
        .catch(function () { setTimeout(tick, POLL_RETRY); });  // server away for a moment: ask later
    };
    setTimeout(tick, POLL_EVERY);
  }

  function follow(box) {
    if (!box || box.dataset.following) return;
    box.dataset.following = "true";
    if (!window.EventSource || !box.dataset.eventsUrl) { box.dataset.following = "poll"; poll(box); return; }
    var source = new EventSource(box.dataset.eventsUrl);
    var fallBack = function () { source.close(); box.dataset.following = "poll"; poll(box); };
    source.onmessage = function (event) {
      var state = JSON.parse(event.data);
      show(box, state);
      if (isFinal(state)) source.close();
    };
    source.addEventListener("busy", fallBack);  // the server has no stream to spare
    source.onerror = function () {
      // a stream that ends (its time is up) is reopened by EventSource itself; closed for good (an
      // error status, not an event stream) means polling takes over
      if (source.readyState === EventSource.CLOSED) fallBack();
    };
  }

  window.DeclarationFollow = { follow: follow };

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-follow-declaration]"), function (box) {
      if (WAITING.indexOf(box.dataset.status) >= 0) follow(box);
    });
  });
})();
