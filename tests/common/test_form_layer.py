"""The one form layer (common.forms + common/forms.html) and the parsing layer under it."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from flask import render_template_string, request

from common.forms import (CheckboxesField, DateField, EmailField, Form, IntegerField, MoneyField,
                          PlateField, SelectField, TextField)
from common.web import make_app

ROOT = Path(__file__).resolve().parents[2]


class SaleForm(Form):
    class Meta:
        wording = "centralisateur"
        id_prefix = "f-"
        required_mark = "none"

    plate = PlateField("Immatriculation*", required=True)
    kind = SelectField("Type véhicule*", required=True, choices={"VP": "Véhicule particulier"})
    mileage = IntegerField("Km jour de la vente*", required=True, max=2_000_000)
    price = MoneyField("Prix de vente")
    delivery = DateField("Date de livraison*", required=True)
    email = EmailField("Email")
    consent = CheckboxesField("Consentement", choices={"email": "Email", "sms": "SMS"})


class TecForm(Form):
    name = TextField("Nom", required=True, max_length=5)


@pytest.fixture()
def client(tmp_path):
    app = make_app(__name__, {"DATA_DIR": str(tmp_path), "TESTING": True})
    page = ('{% from "common/forms.html" import field, error_summary %}{{ error_summary(form) }}'
            '<form method="post">{{ csrf_field() }}{% for f in form if f.name != "csrf_token" %}'
            '{{ field(f) }}{% endfor %}</form>')

    @app.route("/sale", methods=["GET", "POST"])
    def sale():
        form = SaleForm(data={"delivery": dt.date(2025, 11, 30)}) if request.method == "GET" else SaleForm()
        if form.validate_on_submit():
            return {k: str(v) for k, v in form.values().items()}
        return render_template_string(page, form=form), 422 if form.error_list else 200

    @app.route("/tec", methods=["POST"])
    def tec():
        form = TecForm()
        form.validate()
        return render_template_string(page, form=form), 422 if form.error_list else 200

    with app.test_client() as c:
        yield c


def _token(client) -> str:
    html = client.get("/sale").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _post(client, url="/sale", **fields):
    data = {"plate": "aa123aa", "kind": "VP", "mileage": "12 500", "delivery": "30/11/2025", **fields}
    return client.post(url, data={"csrf_token": _token(client), **data})


def test_valid_values_are_cleaned(client):
    response = _post(client, price="10 290,76", email="jean@example.fr", consent=["email", "sms"])
    assert response.status_code == 200
    assert response.json == {"plate": "AA-123-AA", "kind": "VP", "mileage": "12500", "price": "10290.76",
                              "delivery": "2025-11-30", "email": "jean@example.fr",
                              "consent": "['email', 'sms']"}


def test_prefill_shows_french_date_and_labels(client):
    html = client.get("/sale").get_data(as_text=True)
    assert '<label for="f-plate">Immatriculation*</label>' in html
    assert 'value="30/11/2025"' in html
    assert 'aria-invalid' not in html


def test_missing_values_get_the_systems_own_wording_and_are_flagged(client):
    response = _post(client, plate="", kind="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Le champ immatriculation est obligatoire" in html
    assert "Le champ type véhicule est obligatoire" in html
    assert re.search(r'id="f-plate"[^>]*aria-invalid="true"', html)
    assert 'id="f-plate-error"' in html and 'role="alert"' in html


NOT_WHOLE = "Le champ km jour de la vente doit être un nombre entier positif"
NOT_AMOUNT = "Le champ prix de vente doit être un montant (ex. 10290,76)"
NOT_A_DATE = "Le champ date de livraison doit être une date valide au format JJ/MM/AAAA"
OTHER_MESSAGES = ("Le champ date de livraison doit être une date entre 1900 et 2100",
                  "L'immatriculation doit être au format SIV AA-123-AA (sans I, O ni U).",
                  "L'adresse email n'est pas valide.", "Le champ type véhicule a une valeur non proposée")


@pytest.mark.parametrize("field,value,message", [
    *[("mileage", typed, NOT_WHOLE) for typed in ("²", "٣٤", "9" * 400, "-5")],
    *[("price", typed, NOT_AMOUNT) for typed in ("1e999", "NaN")],
    *[("delivery", typed, NOT_A_DATE) for typed in ("31/02/2025", "³¹/12/2025")],
    *[(field, typed, message) for field, typed, message in zip(
        ("delivery", "plate", "email", "kind"), ("31/12/9999", "AB-123-OU", "jean@", "XX"), OTHER_MESSAGES)],
])
def test_hostile_values_get_a_french_422_and_are_kept(client, field, value, message):
    response = _post(client, **{field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message.replace("'", "&#39;") in html
    if field != "kind":
        assert value[:50] in html  # what was typed is shown again


def test_default_wording_and_length(client):
    html = client.post("/tec", data={"name": "abcdefgh", "csrf_token": _token(client)}).get_data(as_text=True)
    assert "Le champ Nom accepte au plus 5 caractères." in html
    assert 'value="abcdefgh"' in html
    html = client.post("/tec", data={"csrf_token": _token(client)}).get_data(as_text=True)
    assert "Le champ Nom est obligatoire." in html
    assert '<span class="req" aria-hidden="true">*</span>' in html


def test_no_hand_typed_csrf_input_in_any_template():
    """Every form gets its token from ``csrf_field()`` or its FlaskForm, never a hand-typed input."""
    offenders = [str(p.relative_to(ROOT)) for p in ROOT.glob("**/templates/**/*.html")
                 if ".venv" not in p.parts and re.search(r'name="csrf_token"', p.read_text())]
    assert offenders == []


def test_one_plate_pattern_and_one_email_check():
    """Only the contract module defines a plate pattern or an email regex."""
    sources = [p for p in ROOT.glob("**/*.py") if ".venv" not in p.parts and "tests" not in p.parts]
    plate = [p.name for p in sources if re.search(r"PLATE_RE\s*=", p.read_text())]
    email = [p.name for p in sources if re.search(r"EMAIL_RE\s*=", p.read_text())]
    assert len(plate) == 1 and len(email) == 1, (plate, email)


POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)
CONTROL = re.compile(r"<(?:input|select|textarea)\b([^>]*)>", re.I)
# Controls a POST form may still write by hand, each for a reason the field macro does not cover.
HAND_WRITTEN = {
    ("centralisateur/templates/centralisateur/profile.html", 'type="checkbox" id="g-npo" checked disabled'),
    ("centralisateur/templates/centralisateur/profile.html", "{{ f.name }}"),  # Profil's table of ticks
    ("centralisateur/templates/centralisateur/rgpd.html", "declaration"),  # one tick per result row
    ("centralisateur/templates/centralisateur/rgpd.html", "confirmation"),
    ("simulators/icare/templates/icare/new_user.html", 'id="mobile-prefix" disabled'),  # +33, shown only
    ("simulators/icare/templates/icare/new_user.html", 'id="phone-prefix" disabled'),
    ("simulators/portail_b2b/templates/portail_b2b/access.html", "terms"),
    ("simulators/portail_b2b/templates/portail_b2b/contact.html", "screenshot"),  # a file
    ("simulators/tec3h/templates/tec3h/vehicle_form.html", "equivalence"),  # filled by the referential
}


def test_post_forms_render_their_fields_through_the_field_macro():
    """A typed value kept, its label, its message and aria-invalid come from ``field()``: no POST form
    writes an input by hand beyond the few listed (certification's own screens aside)."""
    found = set()
    for path in ROOT.glob("**/templates/**/*.html"):
        relative = str(path.relative_to(ROOT))
        if ".venv" in path.parts or relative.startswith("certification/") or path.name == "forms.html":
            continue
        for body in POST_FORM.findall(path.read_text()):
            for attrs in CONTROL.findall(body):
                if 'type="hidden"' not in attrs:
                    name = re.search(r'name="([^"]*)"', attrs)
                    found.add((relative, name.group(1) if name else attrs.strip()))
    assert found <= HAND_WRITTEN, sorted(found - HAND_WRITTEN)


def test_a_refused_form_leaves_nothing_on_the_next_one(client):
    """Fields are bound once per form class and copied for each form (common.forms.base): a refused
    submission's typed values, messages and flags never show on the next visitor's page."""
    refused = _post(client, plate="<b>ZZ</b>", mileage="douze")
    assert refused.status_code == 422
    assert "&lt;b&gt;ZZ&lt;/b&gt;" in refused.get_data(as_text=True)
    assert 'aria-invalid="true"' in refused.get_data(as_text=True)
    # (the page's CSRF token is random: « ZZ » may be in it, once in some fifty pages)
    fresh = re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', client.get("/sale").get_data(as_text=True))
    assert "ZZ" not in fresh and "douze" not in fresh
    assert 'aria-invalid="true"' not in fresh and 'class="field-error"' not in fresh
    assert 'value="30/11/2025"' in fresh  # this form's own pre-fill


def test_each_form_owns_its_fields(tmp_path):
    app = make_app(__name__, {"DATA_DIR": str(tmp_path), "TESTING": True})
    with app.test_request_context("/"):
        first, second = SaleForm(formdata=None), SaleForm(formdata=None)
        first.kind.choices = {"VU": "Véhicule utilitaire"}
        first.add_error("plate", "Immatriculation refusée.")
        first.plate.flags.invalid = True
        assert second.plate.errors == () and not second.plate.flags.invalid
        assert second.kind.options() == [("VP", "Véhicule particulier")]
        assert (second.plate.owner, second.plate.meta, second.plate.id) == (second, second.meta, "f-plate")
        assert first.plate.owner is first and first.plate is not second.plate
