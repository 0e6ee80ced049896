"""The base form of every app: Flask-WTF's ``FlaskForm`` (CSRF token included) with the app's
wording, ids, ordered error lines and the cleaned values.

    class CustomerForm(Form):
        class Meta:
            wording = "tec3h"
        nom = TextField("Nom", required=True, max_length=80)

    form = CustomerForm()                  # POST: reads request.form; GET: ``data=`` pre-fills
    if form.validate_on_submit(): save(form.values())
    render_template(..., form=form), 422 if form.error_list else 200
"""
from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from flask_wtf.form import _Auto, _is_submitted
from markupsafe import Markup

# (form class, unbound field, name, prefix) → that field bound once; every form gets a copy of it
_BOUND: dict[tuple, object] = {}


def _bind_copy(form, unbound_field, options: dict):
    """``unbound_field`` bound to ``form`` as WTForms would, by copying a field bound once per form
    class: WTForms re-runs each field's constructor (label, flags, validators…) for every form built,
    47 times per view of form 2/3. Only what a bound field holds of its form (``meta``, ``_form``,
    translations) and the mutable ``flags`` are the form's own; data and errors are set afresh by
    ``process`` and ``validate``, as on a newly built field."""
    key = (type(form), unbound_field, options.get("name"), options.get("prefix", ""))
    prototype = _BOUND.get(key)
    if prototype is None:
        prototype = unbound_field.bind(form=form, **options)
        prototype.meta = prototype._form = None  # holds no form alive
        _BOUND[key] = prototype
    field = object.__new__(type(prototype))  # Field.__new__ would hand back an UnboundField
    field.__dict__.update(prototype.__dict__)
    flags = object.__new__(type(prototype.flags))  # copy.copy's generic path cost a tenth of the form
    flags.__dict__.update(prototype.flags.__dict__)
    field.meta, field._form, field.flags = form.meta, form, flags
    if options.get("translations") is not None:
        field._translations = options["translations"]
    return field


class Form(FlaskForm):
    """Options in ``Meta``: ``wording`` (see ``common.forms.messages``), ``id_prefix`` (ids are
    ``id_prefix + name``), ``required_mark``: "star" (a red * after the label), "label" (" *" inside
    the label) or "none" (the label text carries it already)."""

    class Meta:
        # CSRF is checked once for every POST of every app by CSRFProtect (common.web), the token
        # rendered by csrf_field(); the form itself does not check it again (nor in English).
        csrf = False
        wording = "default"
        id_prefix = ""
        required_mark = "star"

        def bind_field(self, form, unbound_field, options):
            return _bind_copy(form, unbound_field, options)

        def wrap_formdata(self, form, formdata):
            # A page's form arrives form-encoded or multipart. Flask-WTF would also take a JSON body
            # as the form: a list or a string there was a 500, a number or a list where a text is
            # expected too. A JSON body is an empty submission: the fields' own French messages.
            if formdata is _Auto and request.is_json and _is_submitted():
                formdata = request.form
            return super().wrap_formdata(form, formdata)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra_errors: list[tuple[str | None, str]] = []
        for field in self:
            field.owner = self
            field.wording = self.meta.wording
            field.required_mark = self.meta.required_mark
            if field.name != "csrf_token":
                field.id = f"{self.meta.id_prefix}{field.name}"

    def add_error(self, name: str | None, message: str) -> None:
        """A message found by a rule across fields; ``name`` flags that field (None: no field)."""
        field = self._fields.get(name) if name else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            self.extra_errors.append((name, message))

    def add_errors(self, name: str, messages: list[str]) -> None:
        """Several messages about one field (e.g. each password rule missed): the field is flagged
        with the first, the error summary lists them all."""
        for index, text in enumerate(messages):
            if index == 0:
                self.add_error(name, text)
            elif (name, text) not in self.extra_errors:
                self.extra_errors.append((name, text))

    @property
    def error_list(self) -> list[tuple[str | None, str]]:
        """[(field name, message)]: each field's first message in form order, then the others."""
        lines = [(f.name, f.errors[0]) for f in self if f.errors]
        return lines + [(n, m) for n, m in self.extra_errors if (n, m) not in lines]

    @property
    def error_dict(self) -> dict[str, str]:
        """{field name: its first message} (a rule's message without a field under its own text)."""
        return {name or message: message for name, message in self.error_list}

    @property
    def invalid(self) -> set[str]:
        return {name for name, _ in self.error_list if name}

    def values(self) -> dict:
        """{field name: cleaned value} after ``validate()`` (None for an empty optional field)."""
        return {f.name: f.value for f in self}


def csrf_field() -> Markup:
    """The hidden input carrying Flask-WTF's CSRF token, the same for every form of every app (the
    FlaskForm's own ``csrf_token`` field holds the same token); no id, as a page may hold several."""
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(generate_csrf())


def page_unless_valid(form: Form, template: str, refused_status: int = 422, **context):
    """The page of ``form`` for a GET, or for a refused POST (``refused_status``, typed values and messages
    kept); None once a POST is valid, for the view to act on ``form.values()``."""
    from flask import render_template, request
    if request.method != "POST":
        return render_template(template, form=form, **context)
    if not form.validate():
        return render_template(template, form=form, **context), refused_status
    return None
