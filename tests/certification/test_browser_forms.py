"""The drivers' form reader submits what a browser would: hidden CSRF token, typed values, the selected
option (its text when it has no value attribute), ticked checkboxes only, the right form of the page."""
from __future__ import annotations

from certification.drivers.browser import forms

PAGE = """
<form method="get" role="search"><input name="q" value="x"></form>
<form method="post" action="/stock/3">
  <input type="hidden" name="csrf_token" value="tok&amp;en">
  <input name="plate" value="AA-000-AA"><input type="submit" value="Go">
  <select name="level"><option value="">—</option><optgroup label="SPOTICAR">
    <option>Spoticar-Essential 6 mois</option><option selected>Spoticar-Premium 12 Mois</option></optgroup></select>
  <select name="civility"><option value="M">Monsieur</option><option value="MME">Madame</option></select>
  <input type="checkbox" name="consent" value="email" checked><input type="checkbox" name="consent" value="sms">
  <textarea name="comment">Deux
lignes</textarea>
  <button type="submit">Enregistrer</button>
</form>"""


def test_a_page_s_forms_read_as_a_browser_submits_them():
    search, card = forms(PAGE)
    assert (search.method, card.method, card.action) == ("get", "post", "/stock/3")
    assert card.values == {"csrf_token": "tok&en", "plate": "AA-000-AA", "level": "Spoticar-Premium 12 Mois",
                           "civility": "M", "consent": ["email"], "comment": "Deux\nlignes"}
    assert card.selects["level"] == ["", "Spoticar-Essential 6 mois", "Spoticar-Premium 12 Mois"]
    assert card.buttons == ["Enregistrer"]
