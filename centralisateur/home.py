"""Accueil (the dealer's declarations), Déclarer Vente (hand-offs waiting) and Support."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from sqlalchemy import Integer, bindparam, func, select

from centralisateur.profile import GARANTISSEUR_NAMES
from centralisateur.session import current_dealer, login_required
from centralisateur.store import Declaration
from common.dates import fr_date
from common.parsing import arg_int
from fixtures import reference

bp = Blueprint("home", __name__)

STATUS_LABELS = {"pending": "À déclarer", "contract_pending": "Contrat en attente",
                 "declared": "Déclarée", "refused": "Refusée"}
PAGE_SIZE = 50


def _text(column, *path: str):
    """A JSON value as SQL text (``json_extract`` on SQLite, ``#>>`` on PostgreSQL), NULL when empty."""
    return func.nullif(column[path].as_string(), "")


# what a row of Accueil shows, read in SQL: never the whole hand-off and form documents of 50 rows
_LISTED = (Declaration.bdc_number, Declaration.source_dms, Declaration.garantisseur, Declaration.status,
           Declaration.contract_number,
           func.coalesce(Declaration.declared_at, Declaration.created_at).label("shown_at"),
           func.coalesce(_text(Declaration.form, "last_name"),
                         _text(Declaration.payload, "customer", "last_name")).label("last_name"),
           func.coalesce(_text(Declaration.form, "first_name"),
                         _text(Declaration.payload, "customer", "first_name")).label("first_name"),
           func.coalesce(_text(Declaration.form, "plate"),
                         _text(Declaration.payload, "vehicle", "plate")).label("plate"))


_MINE = Declaration.dealer_rrdi == bindparam("rrdi")
_COUNT = select(func.count()).select_from(Declaration).where(_MINE)
# the page's ids first (an index-only walk of ix_cds_declarations_dealer_id), then their cells: an
# OFFSET over the listed columns would read the JSON documents of every row skipped (page 1,000)
_IDS = (select(Declaration.id).where(_MINE).order_by(Declaration.id.desc())
        .limit(PAGE_SIZE).offset(bindparam("skip", type_=Integer)).subquery())
_PAGE = select(*_LISTED).join(_IDS, _IDS.c.id == Declaration.id).order_by(Declaration.id.desc())


MENU = (("home.index", "Accueil"), ("home.to_declare", "Déclarer Vente"), ("profile.edit", "Profil"),
        ("backoffice.billing", "Facturation"), ("backoffice.rgpd", "RGPD"), ("backoffice.statistics", "Statistiques"),
        ("apv.reception", "Réception APV"), ("home.support", "Support"))


def menu() -> list[tuple[str, str, bool]]:
    """The main menu as (link, text, is this page) — its links built once per app and mount point
    rather than eight ``url_for`` on every page."""
    built = current_app.extensions.setdefault("centralisateur_menu", {})
    links = built.get(request.script_root)
    if links is None:
        links = built[request.script_root] = [(endpoint, url_for(endpoint), text) for endpoint, text in MENU]
    return [(url, text, request.endpoint == endpoint) for endpoint, url, text in links]


def pager(page: int, pages: int, around: int = 3) -> list[int | None]:
    """The page numbers the pager links to: the first, the last and ``around`` either side of the
    current one, None where numbers are left out (100,000 declarations are 2,000 pages)."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    out: list[int | None] = []
    for number in shown:
        if out and number - out[-1] > 1:
            out.append(None)
        out.append(number)
    return out


@bp.get("/")
@login_required
def index():
    db = current_app.extensions["db"]
    page = arg_int("page", 1, minimum=1, maximum=1_000_000)
    params = {"rrdi": current_dealer().rrdi, "skip": (page - 1) * PAGE_SIZE}
    total = db.session.scalar(_COUNT, params)
    rows = db.session.execute(_PAGE, params).all()
    pages = max(1, -(-total // PAGE_SIZE))
    return render_template("centralisateur/home.html", declarations=_shown(rows), total=total, page=page,
                           pages=pages, pager=pager(page, pages))


def _shown(rows) -> list[tuple]:
    """Each row as the cells Accueil shows, in order, read once here: the template unpacks plain
    tuples instead of resolving ~12 attributes, look-ups and method calls per row in Jinja (50 rows)."""
    # one url_for per page, not two per row: "~" stands for the number (BDC numbers are [A-Z0-9])
    start, history = url_for("declare.start", bdc_number="~"), url_for("exchanges.history", bdc_number="~")
    titles = reference.dms_titles()
    return [(bdc, start.replace("~", bdc), fr_date(shown), titles.get(dms, dms), f"{last or ''} {first or ''}".strip(),
             plate or "", GARANTISSEUR_NAMES.get(garantisseur, ""), STATUS_LABELS.get(status, status),
             contract or "", history.replace("~", bdc))
            for bdc, dms, garantisseur, status, contract, shown, last, first, plate in rows]  # _LISTED's order


@bp.get("/declarer")
@login_required
def to_declare():
    db = current_app.extensions["db"]
    rows = db.session.scalars(select(Declaration).where(
        Declaration.dealer_rrdi == current_dealer().rrdi, Declaration.status == "pending")
        .order_by(Declaration.id.desc())).all()
    return render_template("centralisateur/to_declare.html", declarations=rows,
                           dms_titles=reference.dms_titles())


@bp.get("/support")
@login_required
def support():
    return render_template("centralisateur/support.html", contacts=reference.support_contacts())
