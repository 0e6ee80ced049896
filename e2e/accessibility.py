"""axe-core on every screen the browser suites open; a serious or critical violation fails the test
that opened the screen, naming the page, the rule and the elements.

A small init script in every document announces the screen once it has loaded, through an exposed
binding; for a screen not audited yet, axe-core (axe-playwright-python's bundled copy, no network) is
put into the page then (DevTools evaluation, which the apps' Content-Security-Policy does not
restrict) and runs there; the page reports its findings through the binding. Only those documents
pay for axe's 570 KB of script: as an init script of every document it cost ~30 ms of browser CPU
per page and ~90 ms per new context. Every screen is audited before it is left: a link followed or a
form sent before its audit ended waits for it in the page (then goes on as the click asked), and the
test's own ``goto``/``reload``/``go_back``/``go_forward``/``close`` wait for it too. When the test
ends, the screens still open are waited for. A screen left some other way (a script navigating by
itself) is listed in ``unaudited`` — and fails the test: it was never opened again, as a GET may act.

axe runs once per distinct screen in a run (xdist workers share their audits through files in the
run's temporary directory): a screen is known by what axe's serious and critical rules read — the
element tree with every attribute (data-bearing ones such as a CSRF token, a link target or a
field's typed value reduced to empty / not empty), which elements hold text, and the viewport. A
screen seen again gets the findings of its first audit, so a test opening a failing screen still
fails, without the ~0.3–0.7 s of axe each time.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import BrowserContext, Error, Page

FAILING_IMPACTS = ("serious", "critical")
AUDIT_BOUND_MS = 30000  # an audit not done by then (a page that never loads) leaves its screen unaudited

# In every document: once loaded, announce the screen; audit it when it is new (axe put in by then),
# report the failing violations.
PAGE_SCRIPT = """
;(() => {
  if (window.top !== window || !location.protocol.startsWith("http")) return;
  const id = Math.random().toString(36).slice(2);
  // Values that vary with the data but not with what axe checks: only empty / not empty counts.
  const DATA = new Set(["value", "action", "src", "srcset", "title", "alt", "placeholder", "aria-label",
                        "datetime"]);
  const shown = (el, a) => {
    if (DATA.has(a.name) || a.name.startsWith("data-") ||
        (a.name === "href" && !a.value.startsWith("#")) ||
        (a.name === "content" && !["viewport", "refresh"].includes(
          (el.getAttribute("name") || el.getAttribute("http-equiv") || "").toLowerCase())))
      return a.value.trim() ? "+" : "-";
    return a.value;
  };
  // The rules whose every verdict is minor or moderate (the rule's impact and each of its checks'):
  // their findings can never fail a test, so they are not run (a quarter of axe's rules, among them
  // the costly whole-page ones: region, hidden-content, the landmark rules)
  const LEVELS = ["minor", "moderate", "serious", "critical"];
  const low = impact => LEVELS.indexOf(impact) >= 0 && LEVELS.indexOf(impact) < LEVELS.indexOf("serious");
  const harmless = () => Object.fromEntries(axe._audit.rules.filter(rule => {
    const checks = [...rule.any, ...rule.all, ...rule.none];
    return low(rule.impact) && checks.length > 0 &&
      checks.every(check => low((axe._audit.data.checks[check.id || check] || {}).impact));
  }).map(rule => [rule.id, {enabled: false}]));
  const screenKey = () => {
    const lines = [`${innerWidth}x${innerHeight}`];
    (function walk(el, depth) {
      const attrs = Array.from(el.attributes, a => `${a.name}=${shown(el, a)}`).sort();
      const text = Array.from(el.childNodes).some(n => n.nodeType === Node.TEXT_NODE && n.nodeValue.trim());
      lines.push(`${depth}<${el.tagName} ${attrs.join(" ")}${text ? " T" : ""}`);
      for (const child of el.children) walk(child, depth + 1);
    })(document.documentElement, 0);
    return lines.join("\\n");
  };
  window.__spoticarAudit = new Promise(done => window.addEventListener("load", () => {
    const key = screenKey();
    Promise.resolve(window.__spoticarAxe({id, url: location.href, phase: "start", key})).then(known => {
      if (known) return window.__spoticarAxe({id, url: location.href, phase: "done", key, known: true});
      return axe.run(document, {resultTypes: ["violations"], rules: harmless()}).then(results => {
        const found = results.violations.filter(v => %(impacts)s.includes(v.impact)).map(v => ({
          id: v.id, impact: v.impact, help: v.help,
          targets: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
        return window.__spoticarAxe({id, url: location.href, phase: "done", key, found});
      });
    }).then(done, done);
  }));
  // Leaving before the audit ended: the link or form waits for it, then does what it was asked.
  // Listeners on window in the bubbling phase: the app's own handlers have run and not cancelled.
  let audited = false;
  window.__spoticarAudit.then(() => { audited = true; });
  const later = go => Promise.race([window.__spoticarAudit,
                                   new Promise(late => setTimeout(late, %(bound)d))]).then(go);
  const elsewhere = target => target && target !== "_self";
  window.addEventListener("click", event => {
    if (audited || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey ||
        event.shiftKey || event.altKey) return;
    const link = event.target.closest && event.target.closest("a[href]");
    if (!link || typeof link.href !== "string" || link.hasAttribute("download") || elsewhere(link.target)) return;
    const to = new URL(link.href, location.href);
    if (!to.protocol.startsWith("http") || (to.hash && to.href.split("#")[0] === location.href.split("#")[0])) return;
    event.preventDefault();
    later(() => location.assign(to.href));
  });
  window.addEventListener("submit", event => {
    const form = event.target, submitter = event.submitter;
    if (audited || event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
    if (elsewhere((submitter && submitter.getAttribute("formtarget")) || form.getAttribute("target"))) return;
    event.preventDefault();
    later(() => {
      if (submitter) {  // what the button adds to a submission: its name=value, its form* overrides
        if (submitter.name) {
          const field = Object.assign(document.createElement("input"),
                                      {type: "hidden", name: submitter.name, value: submitter.value});
          form.appendChild(field);
        }
        for (const attr of ["action", "method", "enctype"]) {
          const own = submitter.getAttribute("form" + attr);
          if (own !== null) form.setAttribute(attr, own);
        }
      }
      HTMLFormElement.prototype.submit.call(form);
    });
  });
})();
""" % {"impacts": list(FAILING_IMPACTS), "bound": AUDIT_BOUND_MS}


class AccessibilityAudit:
    """Audits the screens of the contexts it watches; collects findings since ``reset()``."""

    def __init__(self):
        self._contexts: list[BrowserContext] = []
        self._audited: dict[str, list[dict]] = {}  # screen key → its failing violations, for the run
        self._shared: Path | None = None
        self.axe_runs = 0                            # screens axe actually ran on, for the session
        self.reset()

    def share(self, directory: Path) -> None:
        """Keep the audits in ``directory`` too, and take those found there: the xdist workers of one
        run (same code, same stylesheets) audit each screen once between them."""
        directory.mkdir(parents=True, exist_ok=True)
        self._shared = directory

    def _known(self, key: str) -> bool:
        if key not in self._audited and self._shared:
            try:
                self._audited[key] = json.loads((self._shared / _digest(key)).read_text())
            except FileNotFoundError:
                pass
        return key in self._audited

    def _remember(self, key: str, found: list[dict]) -> None:
        self._audited[key] = found
        if self._shared:
            path = self._shared / _digest(key)
            partial = path.with_suffix(f".{os.getpid()}")
            partial.write_text(json.dumps(found))
            partial.replace(path)  # whole or absent for another worker reading it

    def reset(self) -> None:
        self.findings: list[str] = []
        self.screens: list[str] = []
        self._pending: dict[str, str] = {}  # audits started, not reported: id → URL
        self.unaudited: list[str] = []
        self._contexts = [c for c in self._contexts if c.pages]

    def watch_context(self, context: BrowserContext) -> BrowserContext:
        """Audit every screen of ``context``, in pages open now or later."""
        context.expose_binding("__spoticarAxe", self._report)
        context.add_init_script(script=PAGE_SCRIPT)
        for page in context.pages:
            self._hold(page)
        context.on("page", self._hold)
        self._contexts.append(context)
        return context

    @staticmethod
    def _hold(page: Page) -> None:
        """The test's own ways of leaving a screen wait for its audit first."""
        for name in LEAVING:
            leave = getattr(page, name)

            def after_audit(*args, _leave=leave, **kwargs):
                _settle(page)
                return _leave(*args, **kwargs)
            setattr(page, name, after_audit)

    def _report(self, source, event: dict) -> bool | None:
        """The page's audit events; at "start", whether this screen was audited already (no axe run),
        axe put into the page when it was not."""
        if event["phase"] == "start":
            self._pending[event["id"]] = event["url"]
            known = self._known(event["key"])
            if not known:
                try:
                    source["frame"].evaluate(AXE_SCRIPT + "\n;0")
                except Error:
                    pass  # left meanwhile: no audit ends, the screen stays pending (then unaudited)
            return known
        self._pending.pop(event["id"], None)
        self.screens.append(event["url"])
        if event.get("known"):
            found = self._audited[event["key"]]
        else:
            found = event["found"]
            self._remember(event["key"], found)
            self.axe_runs += 1
        for v in found:
            self.findings.append(f"{event['url']} — {v['id']} ({v['impact']}) : {v['help']} — "
                                 f"{', '.join(v['targets'])}")

    def finish(self) -> None:
        """Wait for the audits of the screens still shown; note those left before their audit ended."""
        for context in self._contexts:
            for page in list(context.pages):
                _settle(page)
        # A screen left before its audit finished is not opened again: a GET may act (reserve a
        # vehicle, print) and would change what the next test sees. It stays listed as unaudited.
        self.unaudited += [url for url in self._pending.values() if url not in self.screens]
        self._pending.clear()

    def failure(self) -> str | None:
        """The report of the serious/critical violations found and of the screens left unaudited, or None."""
        self.finish()
        problems = []
        if self.findings:
            problems.append("Accessibilité (axe-core) : violations graves ou critiques\n  "
                            + "\n  ".join(dict.fromkeys(self.findings)))
        if self.unaudited:
            problems.append("Accessibilité (axe-core) : écrans quittés avant la fin de leur audit\n  "
                            + "\n  ".join(dict.fromkeys(self.unaudited)))
        return "\n".join(problems) or None


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


LEAVING = ("goto", "reload", "go_back", "go_forward", "close")


def _settle(page: Page) -> None:
    """Wait for the audit of the screen ``page`` shows (none for a blank or closed page)."""
    if page.is_closed() or not page.url.startswith("http"):
        return
    try:  # the init script made the promise when the document was created
        page.evaluate("""() => Promise.race([window.__spoticarAudit || null,
                                              new Promise(late => setTimeout(late, %d))])""" % AUDIT_BOUND_MS)
    except Error:
        pass  # closed or navigated meanwhile
