"""Back-office pages (SPEC §4.2 item 8): Statistiques, Facturation (NPO fees), RGPD."""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from decimal import Decimal

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from centralisateur import privacy
from centralisateur.account_forms import RgpdSearchForm
from centralisateur.profile import GARANTISSEUR_NAMES
from centralisateur.session import current_dealer, login_required
from centralisateur.store import Declaration
from common.db import month_group
from common.parsing import parse_int
from fixtures import reference

bp = Blueprint("backoffice", __name__)

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
SHORT = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
VAT = Decimal("0.20")


def month_label(key: str) -> str:
    year, month = key.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def month_short(key: str) -> str:
    year, month = key.split("-")
    return f"{SHORT[int(month) - 1]} {year[2:]}"


def _declared_by_month(statuses=("declared", "contract_pending"),
                       months: int | None = None) -> list[tuple[str, str | None, int]]:
    """(YYYY-MM, garantisseur, count) of the dealer's declared sales, counted in SQL (GROUP BY).
    ``months``: at least the latest ``months`` months that have sales — read first from the window of
    that many calendar months ending at the latest sale (half of two years of rows), and from every
    row only when some month of that window has no sale."""
    db = current_app.extensions["db"]
    month, label = month_group(Declaration.declared_at, db.engine.dialect.name)
    mine = (Declaration.dealer_rrdi == current_dealer().rrdi, Declaration.status.in_(statuses),
            Declaration.declared_at.is_not(None))

    def grouped(*since):
        # count(*), not count(id): every column read is in ix_cds_declarations_dealer_status_declared,
        # so PostgreSQL answers from the index alone instead of reading each row's JSON documents
        return list(db.session.execute(select(label, Declaration.garantisseur, func.count())
                                       .where(*mine, *since).group_by(month, Declaration.garantisseur)))

    if months:
        # the latest sale of each status: one step down the index each, never a scan
        latest = [db.session.scalar(select(Declaration.declared_at).where(*mine, Declaration.status == status)
                                    .order_by(Declaration.declared_at.desc()).limit(1)) for status in statuses]
        latest = max((when for when in latest if when is not None), default=None)
        if latest is None:
            return []
        year, first = divmod(latest.year * 12 + latest.month - 1 - (months - 1), 12)
        rows = grouped(Declaration.declared_at >= dt.datetime(year, first + 1, 1))
        if len({key for key, _, _ in rows}) >= months:
            return rows
    return grouped()


@bp.get("/statistiques")
@login_required
def statistics():
    """Declared sales by month and by garantie commerciale, as a table and a stacked bar chart."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for key, garantisseur, n in _declared_by_month(months=12):
        counts[key][GARANTISSEUR_NAMES.get(garantisseur, "?")] += n
    months = sorted(counts)[-12:]
    series = [name for code, name in GARANTISSEUR_NAMES.items() if code != "npo"]
    peak = max([sum(counts[m].values()) for m in months] or [1])
    return render_template("centralisateur/statistics.html", months=months, counts=counts, series=series,
                           peak=peak, month_label=month_label, month_short=month_short,
                           totals={s: sum(counts[m][s] for m in months) for s in series})


@bp.get("/facturation")
@login_required
def billing():
    """NPO fees by month: Icare collects one NPO per declared sale, whatever the garantisseur."""
    fee = Decimal(reference.load("warranty_products")["npo_fee_ht"])
    by_month: Counter = Counter()
    for key, _, n in _declared_by_month(("declared",)):
        by_month[key] += n
    rows = []
    for key in sorted(by_month, reverse=True):
        ht = fee * by_month[key]
        rows.append({"month": month_label(key), "count": by_month[key], "ht": ht,
                     "tva": (ht * VAT).quantize(Decimal("0.01")), "ttc": (ht * (1 + VAT)).quantize(Decimal("0.01"))})
    return render_template("centralisateur/billing.html", rows=rows, fee=fee,
                           configuration=reference.configurations().get(current_dealer().configuration, ""))


@bp.route("/rgpd", methods=["GET", "POST"])
@login_required
def rgpd():
    """Find a customer's declarations (name, email or plate), export or erase their personal data."""
    form = RgpdSearchForm(formdata=request.values)
    query = form.recherche.data if "recherche" in request.values and form.validate() else ""
    matches = privacy.find(current_app.extensions["db"], current_dealer().rrdi, query) if query else []
    return render_template("centralisateur/rgpd.html", form=form, query=query, matches=matches), \
        422 if form.error_list else 200


@bp.post("/rgpd/export")
@login_required
def rgpd_export():
    ids = _chosen_ids()
    if not ids:
        flash("Sélectionnez au moins une déclaration.")
        return redirect(url_for("backoffice.rgpd", recherche=request.form.get("recherche", "")), code=303)
    data = privacy.export(current_app.extensions["db"], current_dealer().rrdi, ids)
    return Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="donnees-personnelles.json"'})


@bp.post("/rgpd/effacer")
@login_required
def rgpd_erase():
    ids = _chosen_ids()
    if not ids or request.form.get("confirmation") != "oui":
        flash("Cochez les déclarations concernées et confirmez l'effacement.")
        return redirect(url_for("backoffice.rgpd", recherche=request.form.get("recherche", "")), code=303)
    erased = privacy.erase(current_app.extensions["db"], current_dealer().rrdi, ids, current_app)
    flash(f"Données personnelles effacées pour {erased} déclaration(s) : les ventes et contrats sont conservés.")
    return redirect(url_for("backoffice.rgpd"), code=303)


def _chosen_ids() -> list[int]:
    """The ticked declaration ids; a value no checkbox sends is refused (French 400), never a 500."""
    return [n for n in (parse_int(v, label="« declaration »", minimum=1) for v in
                        request.form.getlist("declaration")) if n is not None]
