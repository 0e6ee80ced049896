"""Bee2link's vehicle card forms on the common form layer: « Étape du pipeline », « Commentaire »."""
from __future__ import annotations

from common.forms import Form, SelectField, TextAreaField
from simulators.bee2link import pipeline

COMMENT_MAX = 1000


class MoveForm(Form):
    """Déplacer the vehicle to a stage of the pipeline (the select shows its current stage)."""

    etape = SelectField("Étape du pipeline", required=True, blank=None, choices=pipeline.STAGES,
                        messages={"required": "Choisissez une étape du pipeline.",
                                  "choice": "Choisissez une étape du pipeline."})


class CommentForm(Form):
    """Ajouter le commentaire (1 to 1000 characters)."""

    commentaire = TextAreaField("Commentaire", required=True, max_length=COMMENT_MAX, messages={
        "required": "Le commentaire est vide.", "too_long": "Le commentaire dépasse {max_length} caractères."})
