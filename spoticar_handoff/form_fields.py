"""The declaration form (2/3) of the centralisateur as a DMS sees it: each field's label (as seed 000
shows it, "*" when required), where the hand-off pre-fills it from, and the format check the form
applies (the table itself in ``data/form_fields.json``). The hand-off's ``warnings`` name these labels, so a DMS knows which field of the form a value
will block. The centralisateur's form (``centralisateur.form``) has the same fields; a test keeps them
equal.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from spoticar_handoff import catalogue, fields


@dataclass(frozen=True)
class FormField:
    """One field of form 2/3."""
    name: str
    label: str                          # as on screen, asterisk included
    source: str | None                  # dotted path in the hand-off payload (None: the form computes it)
    check: Callable[[str], str] | None = None  # the spoticar_handoff.fields check the form applies

    @property
    def required(self) -> bool:
        """The dealer cannot declare while it is empty."""
        return self.label.endswith("*")


# The form's own checks, by the name the table gives them.
CHECKS = {check.__name__: check for check in (fields.check_email, fields.normalize_phone, fields.check_postcode,
                                              fields.normalize_plate, fields.normalize_vin)}
# The table is data (``data/form_fields.json``), so a DMS in any language can read the labels too.
FIELDS: tuple[FormField, ...] = tuple(
    FormField(row["name"], row["label"], row["source"], CHECKS[row["check"]] if "check" in row else None)
    for row in catalogue.load("form_fields")["fields"])
BY_NAME = {f.name: f for f in FIELDS}


def dig(payload: dict, path: str):
    """The value at ``path`` ("vehicle.plate") of a hand-off payload, None when absent."""
    value = payload
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


DEFAULTS = {"loyalty_product": "Aucun"}  # what the form shows when the hand-off leaves a field blank


def date_problems(dates: dict) -> list[tuple[str, str]]:
    """(form field name, French message) for dates that contradict each other. ``dates`` holds ISO
    strings (or None) under the form's names, plus ``sale_date``; absent ones are not compared."""
    get = lambda name: dates.get(name) or None  # noqa: E731
    problems = []
    if get("sale_date") and get("delivery_date") and get("delivery_date") < get("sale_date"):
        problems.append(("delivery_date", "La date de livraison ne peut pas précéder la date de vente"))
    if get("first_registration") and get("delivery_date") and get("first_registration") > get("delivery_date"):
        problems.append(("first_registration", "La date de première immatriculation ne peut pas être "
                                               "postérieure à la date de livraison"))
    if get("birth_date") and get("birth_date") >= dt.date.today().isoformat():
        problems.append(("birth_date", "La date de naissance doit être passée"))
    return problems


DEFAULT_MAX_DAYS_AFTER_DELIVERY = 30  # a sale is declared within this many days of its delivery (rule 4)


def _iso_date(text) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None  # a malformed date is reported by the form's own check, not here


def warranty_date_problems(dates: dict, max_days: int = DEFAULT_MAX_DAYS_AFTER_DELIVERY,
                           today: dt.date | None = None) -> list[tuple[str, str]]:
    """Rule 4, warranty dates that make sense: (form field name, French message) when the warranty
    starts before the sale, or the sale was delivered more than ``max_days`` days ago (too late to
    declare). ``dates`` holds ISO strings under ``sale_date``, ``start_date``, ``delivery_date``."""
    today = today or dt.date.today()
    sold, start, delivered = (_iso_date(dates.get(n)) for n in ("sale_date", "start_date", "delivery_date"))
    problems = []
    if sold and start and start < sold:
        problems.append(("start_date", "La date de début de garantie ne peut pas précéder la date de la vente "
                                       f"({sold:%d/%m/%Y})"))
    if delivered and (today - delivered).days > max_days:
        problems.append(("delivery_date", f"La vente a été livrée le {delivered:%d/%m/%Y}, il y a plus de "
                                          f"{max_days} jours : la garantie doit être déclarée dans les "
                                          f"{max_days} jours suivant la livraison"))
    return problems
