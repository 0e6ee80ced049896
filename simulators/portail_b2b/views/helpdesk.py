"""Aide & Contact: the site map and guides, and the contact form mailed to the portal's assistance."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, request
from werkzeug.utils import secure_filename

from common.outbox import MailAttachment
from common.sessions import PUBLIC_FORM_HOURLY, TOO_MANY_SENDINGS, public_form_allowed
from simulators.portail_b2b import forms, service
from simulators.portail_b2b.store import LoginAttempt, outbox
from simulators.portail_b2b.views import assistance_email, db, form_page, render, sender_email

bp = Blueprint("helpdesk", __name__, url_prefix="/aide")

# The screenshot is an image: its first bytes must say so, whatever its name or declared type.
IMAGE_SIGNATURES = {b"\x89PNG\r\n\x1a\n": ("image/png", "png"), b"\xff\xd8\xff": ("image/jpeg", "jpg"),
                    b"GIF87a": ("image/gif", "gif"), b"GIF89a": ("image/gif", "gif")}


@bp.get("")
def help_page():
    """Aide: the site map and the guides for each step; « Obtenir de l'aide », « En savoir plus »."""
    return render("help.html", guides=service.portal_data()["guides"])


@bp.get("/guides/<slug>")
def guide(slug: str):
    found = next((g for g in service.portal_data()["guides"] if g["slug"] == slug), None)
    if found is None:
        abort(404)
    return render("guide.html", guide=found)


@bp.get("/en-savoir-plus")
def about():
    return render("about.html")


@bp.route("/contact", methods=["GET", "POST"])
@form_page("contact.html", forms.CONTACT, prefill=("identifiant", "cofor"), checks_more=True)
def contact(values: dict, errors: dict):
    """The contact form: subject, free text, optional screenshot, contact details → assistance mail."""
    attachment, file_error, status = screenshot(request.files.get("screenshot"))
    if file_error:
        errors["screenshot"] = file_error
    if errors:
        return render("contact.html", status if file_error else 422, values=values, errors=errors)
    body = "\n".join([
        f"Objet : {values['subject']}", "", values["message"], "",
        f"Nom : {values['last_name']}", f"Prénom : {values['first_name']}", f"Société : {values['company']}",
        f"Adresse mail : {values['email']}", f"Téléphone : {values['phone'] or '—'}",
        f"Identifiant : {values['identifiant'] or '—'}", f"COFOR : {values['cofor'] or '—'}",
        f"Copie d'écran : {attachment.filename if attachment else 'aucune'}"])
    with db().transaction() as tx:
        if not public_form_allowed(tx, LoginAttempt, "aide-contact"):
            return render("contact.html", 429, values=values,
                          errors={"form": TOO_MANY_SENDINGS.format(limit=PUBLIC_FORM_HOURLY)})
        mail = outbox.send_mail(tx, assistance_email(), f"[Aide & Contact] {values['subject']}", body,
                                attachments=[attachment] if attachment else [], sender=sender_email())
        reference = f"B2B-{mail.id:06d}"
    return render("contact.html", sent=reference)


def screenshot(upload) -> tuple[MailAttachment | None, str | None, int]:
    """The uploaded screenshot as an attachment, or the French reason it is refused and its status."""
    if upload is None or not upload.filename:
        return None, None, 200
    limit = current_app.config["B2B_SCREENSHOT_MAX_BYTES"]
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        return None, (f"La copie d'écran dépasse la taille maximale de {limit // (1024 * 1024)} Mo : "
                      "réduisez-la ou envoyez une capture plus petite."), 413
    kind = next((v for sig, v in IMAGE_SIGNATURES.items() if data.startswith(sig)), None)
    if kind is None:
        return None, "La copie d'écran doit être une image PNG, JPEG ou GIF.", 415
    content_type, ext = kind
    stem = secure_filename(upload.filename).rsplit(".", 1)[0] or "copie-ecran"
    return MailAttachment(f"{stem}.{ext}", content_type, data), None, 200
