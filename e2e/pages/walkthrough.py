"""The page object of the seed walk-through: any seed screen, read the way a user reads it."""
from __future__ import annotations

from e2e.pages.screen import Screen, by_role

# What a user reads: the rendered text (nothing hidden: a closed <details>, display:none) and the
# texts of the visible controls (placeholders, button values, aria-labels), never hidden inputs.
SHOWN_TEXT = """() => {
  const parts = [document.body.innerText];
  for (const el of document.body.querySelectorAll('input, textarea, button, img, [aria-label], [title]')) {
    if (el.type === 'hidden' || !el.checkVisibility()) continue;
    for (const name of ['placeholder', 'aria-label', 'title', 'value', 'alt']) {
      const value = el.getAttribute(name);
      if (value) parts.push(value);
    }
  }
  return parts.join(' ');
}"""


class SeedScreen(Screen):
    """A seed screen at a path: its rendered text and the names of its disabled buttons and links."""

    disabled_buttons = by_role("button", disabled=True)
    disabled_links = by_role("link", disabled=True)

    def open_path(self, path: str) -> SeedScreen:
        """Go to ``path``: relative to ``base_url``, or a full URL."""
        self.page.goto(path if path.startswith("http") else self.base_url + path)
        return self

    def html(self) -> str:
        return self.page.content()

    def shown_text(self) -> str:
        return self.page.evaluate(SHOWN_TEXT)

    def disabled_controls(self) -> list[str]:
        """The names of the buttons and links a user cannot use here."""
        return [" ".join(text.split()) for text in
                self.disabled_buttons.all_inner_texts() + self.disabled_links.all_inner_texts()]
