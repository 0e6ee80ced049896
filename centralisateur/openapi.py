"""OpenAPI 3.1 document of the hand-off API, generated from the SDK's pydantic models (spoticar_handoff.models)."""
from __future__ import annotations

from functools import cache

from pydantic.json_schema import models_json_schema

from centralisateur.openapi_rules import (ERROR_EXAMPLES, HANDOFF_EXAMPLE, RECEIPT_EXAMPLE, STATE_EXAMPLE,
                                          apply_constraints, apply_timestamps)
from spoticar_handoff.callbacks import DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER
from spoticar_handoff.models import DeclarationState, ErrorBody, HandoffIn, HandoffReceipt

REF = "#/components/schemas/{model}"


def _error(description: str, status: str | None = None) -> dict:
    """An error answer: its French description and, for the API's own statuses, an example body."""
    content: dict = {"schema": {"$ref": REF.format(model="ErrorBody")}}
    if status in ERROR_EXAMPLES:
        content["example"] = ERROR_EXAMPLES[status]
    return {"description": description, "content": {"application/json": content}}


def _throttled() -> dict:
    """429: a certification session's key past its rate (``certification.hooks.throttled``)."""
    answer = _error("Clé d'une session de certification : plus de 20 requêtes par seconde pour la session "
                    "(toutes requêtes confondues, rafales jusqu'à 60 ; CERTIFICATION_RATE_PER_SECOND). "
                    "Réessayez après le délai de l'en-tête Retry-After, en secondes. Les clés de DMS ne sont "
                    "pas concernées.", "429")
    answer["headers"] = {"Retry-After": {"description": "Secondes à attendre avant de réessayer (1).",
                                         "schema": {"type": "integer", "minimum": 1}}}
    return answer


def _json(model: str, example: dict) -> dict:
    return {"application/json": {"schema": {"$ref": REF.format(model=model)}, "example": example}}


@cache
def document(public_url: str | None = None) -> dict:
    """The document, with ``servers`` from the configured public URL of this centralisateur."""
    _, schemas = models_json_schema(
        [(HandoffIn, "validation"), (HandoffReceipt, "serialization"), (DeclarationState, "serialization"),
         (ErrorBody, "serialization")], ref_template=REF)
    apply_constraints(schemas["$defs"])
    apply_timestamps(schemas["$defs"])
    security = [{"dmsKey": []}]
    servers = [{"url": public_url.rstrip("/"), "description": "Ce centralisateur"}] if public_url else []
    return {
        "openapi": "3.1.0",
        "servers": servers,
        "info": {"title": "Centralisateur Spoticar — API de transmission (hand-off)", "version": "1",
                 "description": "Un DMS transmet une vente VO ; le centralisateur renvoie le numéro de bon "
                                "de commande et l'adresse du formulaire de déclaration."},
        "components": {"schemas": schemas["$defs"],
                       "securitySchemes": {"dmsKey": {"type": "http", "scheme": "bearer"}}},
        "paths": {
            "/api/v1/handoffs": {"post": {
                "operationId": "createHandoff", "security": security,
                "summary": "Transmettre une vente VO au centralisateur",
                "description": "Renvoie le numéro de bon de commande et l'adresse du formulaire de "
                               "déclaration à ouvrir dans le navigateur du vendeur.",
                "requestBody": {"required": True, "content": _json("HandoffIn", HANDOFF_EXAMPLE)},
                "responses": {
                    "201": {"description": "Transmission créée ; « warnings » nomme chaque champ que le "
                                           "concessionnaire devra corriger ou compléter sur le formulaire 2/3 "
                                           "(par son libellé, ex. « Immatriculation* »)",
                            "content": _json("HandoffReceipt", RECEIPT_EXAMPLE)},
                    "200": {"description": "Même commande DMS déjà transmise : même transmission",
                            "content": _json("HandoffReceipt", RECEIPT_EXAMPLE)},
                    "400": _error("JSON illisible", "400"),
                    "401": _error("Clé d'API absente ou invalide", "401"),
                    "403": _error("Point de vente non servi par ce DMS", "403"),
                    "413": _error("Corps trop volumineux", "413"), "415": _error("Corps non JSON", "415"),
                    "422": _error("Champs que le formulaire ne peut pas corriger (inconnus, types, catalogue) "
                                  "ou véhicule non éligible (un message par champ)", "422"),
                    "429": _throttled()}}},
            "/api/v1/declarations/{bdc_number}": {"get": {
                "operationId": "getDeclaration", "security": security,
                "summary": "Lire l'état d'une déclaration transmise par ce DMS",
                "parameters": [{"name": "bdc_number", "in": "path", "required": True,
                                "schema": {"type": "string", "pattern": "^SP[0-9A-Z]{7}[0-9]{9}$"}}],
                "responses": {
                    "200": {"description": "État de la déclaration",
                            "content": _json("DeclarationState", STATE_EXAMPLE)},
                    "401": _error("Clé d'API absente ou invalide", "401"),
                    "404": _error("Déclaration inconnue pour ce DMS", "404"),
                    "429": _throttled()}}},
        },
        "webhooks": {"declarationState": _callback_webhook()},
    }


def _callback_webhook() -> dict:
    """The signed callback the centralisateur POSTs to a hand-off's ``callback_url``."""
    headers = [
        (TIMESTAMP_HEADER, "Heure d'envoi de la tentative, en secondes Unix ; refusez un rappel hors "
                           "de votre tolérance (300 s conseillées).", {"type": "string", "pattern": "^[0-9]+$"}),
        (DELIVERY_HEADER, "Identifiant de la livraison : le même pour chaque nouvelle tentative d'un même "
                          "état ; une livraison déjà reçue n'est pas appliquée une seconde fois : refusez-la "
                          "(409) ou acquittez-la (2xx) sans effet.",
         {"type": "string", "maxLength": 64, "pattern": r"^[A-Za-z0-9._:-]{1,64}$"}),
        (SIGNATURE_HEADER, "sha256=<HMAC-SHA256 hexadécimal, clé : votre clé d'API, message : "
                           "« <horodatage>.<livraison>. » suivi du corps brut>.",
         {"type": "string", "pattern": "^sha256=[0-9a-f]{64}$"}),
    ]
    return {"post": {
        "operationId": "declarationCallback",
        "summary": "État d'une déclaration, envoyé au callback_url du DMS",
        "description": "Envoyé à chaque changement d'état (contrat en attente, déclarée, refusée) et "
                       "réessayé jusqu'à une réponse 2xx ; 409 signifie « déjà reçu » et arrête les "
                       "tentatives. Un état final ne redevient jamais non final : ignorez un état "
                       "antérieur arrivé en retard.",
        "parameters": [{"name": name, "in": "header", "required": True, "description": text,
                        "schema": schema} for name, text, schema in headers],
        "requestBody": {"required": True, "content": _json("DeclarationState", STATE_EXAMPLE)},
        "responses": {
            "200": {"description": "Rappel pris en compte"},
            "400": _error("Corps qui n'est pas un état de déclaration"),
            "401": _error("Signature invalide ou horodatage périmé"),
            "404": _error("Numéro de bon de commande inconnu du DMS"),
            "409": _error("Livraison déjà reçue (rejeu) : rien n'est modifié")}}}
