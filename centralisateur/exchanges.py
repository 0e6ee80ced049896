"""« Historique des échanges » of one declaration: what crossed between the DMS, this centralisateur,
Icare and the DMS's callback, read from the centralisateur's journal (entries of the declaration's
trace). Only the dealer who owns the declaration sees it."""
from __future__ import annotations

import re

from flask import Blueprint, current_app, render_template

from centralisateur.session import login_required, own_declaration

bp = Blueprint("exchanges", __name__)

PAGES = {"": "Arrivée sur la déclaration", "/garantie": "Choix du programme et du garantisseur (1/3)",
         "/formulaire": "Formulaire de déclaration (2/3)", "/confirmation": "Confirmation (3/3)",
         "/relancer": "Relance de la création du contrat", "/releve.pdf": "Relevé d'information (PDF)",
         "/certificat.pdf": "Certificat de souscription (PDF)"}
OWN_PAGE = "/echanges"


def describe(entry: dict, bdc: str, callback_url: str | None, attempts: dict) -> str:
    """The French label of one exchange in the declaration's chain."""
    path, method, out = entry["path"], entry["method"], entry["direction"] == "out"
    if out and path == "/api/v1/npo":
        return "Icare — enregistrement de la prestation NPO"
    if out and path == "/api/v1/contracts":
        return "Icare — création du contrat"
    if out and callback_url and entry["url"] == callback_url:
        attempts["n"] = attempts.get("n", 0) + 1
        return f"Notification du DMS (callback), tentative {attempts['n']}"
    if not out and path == "/api/v1/handoffs":
        return "Transmission reçue du DMS"
    if not out and path.startswith("/api/v1/declarations/"):
        return "Consultation du statut par le DMS"
    if not out and path.startswith("/declaration/"):
        return "Ouverture du lien de déclaration envoyé par le DMS"
    page = re.fullmatch(rf"/declarations/{re.escape(bdc)}(/[\w.]*)?", path)
    if page and (page.group(1) or "") in PAGES:
        label = PAGES[page.group(1) or ""]
        return f"Envoi : {label}" if method == "POST" else f"Page : {label}"
    return "Autre échange"


def status_label(status: int | None) -> str:
    if status is None:
        return "aucune réponse"
    return f"{status} {'(réussi)' if status < 400 else '(refusé)' if status < 500 else '(erreur)'}"


@bp.get("/declarations/<bdc_number>/echanges")
@login_required
def history(bdc_number: str):
    """The declaration's exchanges, oldest first."""
    declaration = own_declaration(bdc_number)
    log = current_app.extensions["journal"]
    # the store directly: what is written, without waiting for requests under way elsewhere
    entries = [e for e in log.store.query(bdc=declaration.bdc_number)
               if not e["path"].endswith(OWN_PAGE)] if log.enabled else []
    attempts: dict = {}
    rows = [{"time": e["time"][8:10] + "/" + e["time"][5:7] + "/" + e["time"][:4] + " " + e["time"][11:19],
             "direction": "Envoyé" if e["direction"] == "out" else "Reçu",
             "label": describe(e, declaration.bdc_number, declaration.callback_url, attempts),
             "request": f"{e['method']} {e['url'] if e['direction'] == 'out' else e['path']}",
             "status": status_label(e["status"]), "failed": e["status"] is None or e["status"] >= 400,
             "ms": f"{e['duration_ms']:.0f}".replace(".", ",") if e["duration_ms"] is not None else "",
             "trace_id": e["trace_id"]} for e in entries]
    return render_template("centralisateur/exchanges.html", declaration=declaration, rows=rows,
                           enabled=log.enabled)
