"""axe-core on every screen the browser suites open; a serious or critical violation fails the test
that opened the screen, naming the page, the rule and the elements.

axe-core (axe-playwright-python's bundled copy, no network) is in every document through an init
script and runs in the page as soon as it has loaded; the page reports its findings through an
exposed binding. When the test ends, the screens still open are waited for, and a screen left before
its audit finished (a very fast click) is opened again by URL in a page of its own and audited there.
"""
from __future__ import annotations

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import BrowserContext, Error

FAILING_IMPACTS = ("serious", "critical")

# In every document: announce the screen, audit it once loaded, report the failing violations.
PAGE_SCRIPT = AXE_SCRIPT + """
;(() => {
  if (window.top !== window || !location.protocol.startsWith("http")) return;
  const id = Math.random().toString(36).slice(2);
  window.__spoticarAudit = new Promise(done => window.addEventListener("load", () => {
    window.__spoticarAxe({id, url: location.href, phase: "start"});
    axe.run(document, {resultTypes: ["violations"]}).then(results => {
      const found = results.violations.filter(v => %s.includes(v.impact)).map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
      return window.__spoticarAxe({id, url: location.href, phase: "done", found});
    }).then(done, done);
  }));
})();
""" % list(FAILING_IMPACTS)


class AccessibilityAudit:
    """Audits the screens of the contexts it watches; collects findings since ``reset()``."""

    def __init__(self):
        self._contexts: list[BrowserContext] = []
        self.reset()

    def reset(self) -> None:
        self.findings: list[str] = []
        self.screens: list[str] = []
        self._pending: dict[str, str] = {}  # audits started, not reported: id → URL
        self._contexts = [c for c in self._contexts if c.pages]

    def watch_context(self, context: BrowserContext) -> BrowserContext:
        """Audit every screen of ``context``, in pages open now or later."""
        context.expose_binding("__spoticarAxe", self._report)
        context.add_init_script(script=PAGE_SCRIPT)
        self._contexts.append(context)
        return context

    def _report(self, _source, event: dict) -> None:
        if event["phase"] == "start":
            self._pending[event["id"]] = event["url"]
            return
        self._pending.pop(event["id"], None)
        self.screens.append(event["url"])
        for v in event["found"]:
            self.findings.append(f"{event['url']} — {v['id']} ({v['impact']}) : {v['help']} — "
                                 f"{', '.join(v['targets'])}")

    def finish(self) -> None:
        """Wait for the audits of the screens still shown; audit again, by URL, any screen left
        before its audit finished."""
        for context in self._contexts:
            for page in list(context.pages):
                if not page.url.startswith("http"):
                    continue
                try:  # the init script made the promise when the document was created
                    page.evaluate("() => window.__spoticarAudit || null")
                except Error:
                    pass  # closed meanwhile
        left = list(dict.fromkeys(self._pending.values()))
        self._pending.clear()
        for url in left:
            context = next((c for c in self._contexts if c.pages), None)
            if context is None:
                return
            page = context.new_page()
            try:
                page.goto(url)
                page.evaluate("() => window.__spoticarAudit")
            except Error:
                pass
            finally:
                page.close()

    def failure(self) -> str | None:
        """The report of the serious/critical violations found, or None."""
        self.finish()
        if not self.findings:
            return None
        return ("Accessibilité (axe-core) : violations graves ou critiques\n  "
                + "\n  ".join(dict.fromkeys(self.findings)))
