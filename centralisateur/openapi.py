"""OpenAPI 3.1 document of the hand-off API, generated from the pydantic models of contract.py."""
from __future__ import annotations

from functools import cache

from pydantic.json_schema import models_json_schema

from centralisateur.contract import DeclarationState, ErrorBody, HandoffIn, HandoffReceipt

REF = "#/components/schemas/{model}"


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": REF.format(model="ErrorBody")}}}}


@cache
def document() -> dict:
    _, schemas = models_json_schema(
        [(HandoffIn, "validation"), (HandoffReceipt, "serialization"), (DeclarationState, "serialization"),
         (ErrorBody, "serialization")], ref_template=REF)
    security = [{"dmsKey": []}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Centralisateur Spoticar — API de transmission (hand-off)", "version": "1",
                 "description": "Un DMS transmet une vente VO ; le centralisateur renvoie le numéro de bon "
                                "de commande et l'adresse du formulaire de déclaration."},
        "components": {"schemas": schemas["$defs"],
                       "securitySchemes": {"dmsKey": {"type": "http", "scheme": "bearer"}}},
        "paths": {
            "/api/v1/handoffs": {"post": {
                "operationId": "createHandoff", "security": security,
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": REF.format(model="HandoffIn")}}}},
                "responses": {
                    "201": {"description": "Transmission créée", "content": {"application/json": {
                        "schema": {"$ref": REF.format(model="HandoffReceipt")}}}},
                    "200": {"description": "Même commande DMS déjà transmise : même transmission",
                            "content": {"application/json": {
                                "schema": {"$ref": REF.format(model="HandoffReceipt")}}}},
                    "400": _error("JSON illisible"), "401": _error("Clé d'API absente ou invalide"),
                    "403": _error("Point de vente non servi par ce DMS"),
                    "413": _error("Corps trop volumineux"), "415": _error("Corps non JSON"),
                    "422": _error("Champs invalides ou véhicule non éligible (un message par champ)")}}},
            "/api/v1/declarations/{bdc_number}": {"get": {
                "operationId": "getDeclaration", "security": security,
                "parameters": [{"name": "bdc_number", "in": "path", "required": True,
                                "schema": {"type": "string", "pattern": "^SP[0-9A-Z]{7}[0-9]{9}$"}}],
                "responses": {
                    "200": {"description": "État de la déclaration", "content": {"application/json": {
                        "schema": {"$ref": REF.format(model="DeclarationState")}}}},
                    "401": _error("Clé d'API absente ou invalide"),
                    "404": _error("Déclaration inconnue pour ce DMS")}}},
        },
    }
