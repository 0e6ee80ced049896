"""What the generated JSON schemas cannot say by themselves: the constraints the validators and the
eligibility rules apply (patterns, lengths, catalogue enums from the reference data), RFC 3339
timestamps, and examples. Applied to the schemas ``centralisateur.openapi`` generates from the SDK's
models, so a client generated from the document refuses the malformed requests the server would
refuse; the eligibility rules, which refuse well-formed sales, are stated beside (``_eligibility``)."""
from __future__ import annotations

from spoticar_handoff import catalogue, fields

# The canonical form of each formatted field (the server also accepts looser spellings it normalises,
# "aa123aa" for a plate; the document gives the form it answers with, which it always accepts).
FIELD_PATTERNS = {
    ("Vehicle", "plate"): fields.PLATE_RE.pattern,
    ("Vehicle", "vin"): fields.VIN_RE.pattern,
    ("DealerRef", "rrdi"): fields.RRDI_RE.pattern,
    ("Customer", "email"): fields.EMAIL_RE.pattern,
    ("Customer", "phone"): fields.PHONE_RE.pattern,
    ("Customer", "mobile"): fields.PHONE_RE.pattern,
    ("Customer", "postcode"): r"^[0-9]{5}$",
    ("Customer", "siret"): r"^[0-9]{14}$",
}
# Text fields: no control character nor bidirectional override anywhere (a 422 names the field), and
# at least one character that is neither a space nor invisible (a blank value counts as absent)
NOT_BLANK = (rf"^[^{fields.CONTROL_CHARS}]*[^\s{fields.CONTROL_CHARS}{fields.INVISIBLE_CHARS}]"
             rf"[^{fields.CONTROL_CHARS}]*$")
DATE_FIELDS = {"Sale": ("sale_date", "delivery_date"), "Customer": ("birth_date",),
               "Vehicle": ("first_registration", "manufacturer_warranty_end"), "Warranty": ("start_date",)}
TRADE_DATE_PATTERN = r"^(19[0-9]{2}|20[0-9]{2}|2100)-"  # years 1900–2100, as the server checks
MONEY_FIELDS = (("Sale", "price_ttc"), ("Sale", "trade_in_value"), ("Vehicle", "market_value"))
# euros and cents, 0 to 10 000 000: "18990.00" (or a whole number of euros as a JSON number)
MONEY_PATTERN = r"^([0-9]{1,7}(\.[0-9]{1,2})?|10000000(\.00?)?)$"


def _no_control(pattern: str) -> str:
    """An anchored pattern that also refuses what the server refuses in every text field: a control
    character or a bidirectional override anywhere (an e-mail address's pattern let them through)."""
    assert pattern.startswith("^"), pattern
    return rf"^(?=[^{fields.CONTROL_CHARS}]*$)" + pattern[1:]


def _string_schemas(schema: dict):
    """The ``{"type": "string", …}`` parts of a property (it may be ``anyOf`` [string, null])."""
    for part in schema.get("anyOf", [schema]):
        if part.get("type") == "string":
            yield part


def _set(schemas: dict, model: str, name: str, **constraints) -> None:
    prop = schemas[model]["properties"][name]
    for part in _string_schemas(prop) if "pattern" in constraints or "enum" in constraints else [prop]:
        part.update(constraints)


def apply_constraints(schemas: dict) -> None:
    """Patterns, enums and bounds of the hand-off's fields, in place."""
    for model in ("Sale", "Customer", "Vehicle", "Warranty", "HandoffIn"):
        for name, prop in schemas[model]["properties"].items():
            for part in _string_schemas(prop):
                if part.get("minLength") == 1 and "pattern" not in part and "format" not in part:
                    part["pattern"] = NOT_BLANK
    for (model, name), pattern in FIELD_PATTERNS.items():
        _set(schemas, model, name, pattern=_no_control(pattern))
    for model, names in DATE_FIELDS.items():
        for name in names:
            _set(schemas, model, name, pattern=TRADE_DATE_PATTERN)
    _set(schemas, "Vehicle", "energy", enum=list(fields.ENERGIES))
    for model, name in MONEY_FIELDS:
        prop = schemas[model]["properties"][name]
        for part in prop.get("anyOf", [prop]):
            if part.get("type") == "number":  # a float's binary cents are not cents: whole euros only
                part["type"] = "integer"
            elif part.get("type") == "string":
                part["pattern"] = MONEY_PATTERN
    _eligibility(schemas["Vehicle"]["properties"])
    products = sorted({p["product"] for p in catalogue.warranty_products()})
    _set(schemas, "Warranty", "product", enum=products)
    _set(schemas, "Warranty", "loyalty_product", enum=list(catalogue.loyalty_products()))
    _no_nul(schemas)


def _eligibility(vehicle: dict) -> None:
    """The eligibility rules (SPEC §3: admitted brands, power, usage and PTAC limits) as descriptions
    and ``x-spoticar-eligible…`` extensions, not as the schema's enums and maxima: an ineligible sale is
    well formed, and the server's answer to it — a 422 naming the field, with its French reason, which
    the DMS shows the dealer — is part of the contract (the certification plan sends a taxi, a TATA,
    801 ch, 3,600 kg): a client generated from the document must be able to send it."""
    brands = sorted(catalogue.admitted_brands() | catalogue.stellantis_brands())
    limits = catalogue.load("brands")
    eligible_usages = [u for u in catalogue.all_usages() if u not in catalogue.excluded_usages()]
    rules = {
        "brand": ({"x-spoticar-eligible": brands},
                  "Marque du véhicule. Seules ces marques sont éligibles à la garantie : " + ", ".join(brands)
                  + ". Une autre marque est refusée (422 sur vehicle.brand, motif en français)."),
        "usage": ({"x-spoticar-eligible": eligible_usages},
                  "Usage du véhicule. Seul « " + " », « ".join(eligible_usages) + " » est éligible : un autre "
                  "usage (taxi, auto-école, location…) est refusé (422 sur vehicle.usage)."),
        "din_power": ({"x-spoticar-eligible-maximum": limits["max_din_power"]},
                      f"Puissance en ch DIN. Éligible jusqu'à {limits['max_din_power']} ch : au-delà, la vente "
                      "est refusée (422 sur vehicle.din_power)."),
        "ptac_kg": ({"x-spoticar-eligible-maximum": limits["max_ptac_kg"]},
                    f"PTAC en kg. Éligible jusqu'à {limits['max_ptac_kg']:_} kg".replace("_", "\u202f")
                    + " : au-delà, la vente est refusée (422 sur vehicle.ptac_kg)."),
    }
    for name, (extension, description) in rules.items():
        vehicle[name].update(extension, description=description)


# No text holds a NUL character (U+0000): every app refuses one with a French 400 (PostgreSQL cannot
# store it). The fields with an anchored pattern or an enum exclude it already (the texts' ``NOT_BLANK``
# too).
NO_NUL = r"^[^\u0000]*$"


def _no_nul(schemas: dict) -> None:
    for schema in schemas.values():
        for prop in schema.get("properties", {}).values():
            for part in _string_schemas(prop):
                if "enum" in part or "format" in part:
                    continue
                if "pattern" not in part:
                    part["pattern"] = NO_NUL


def apply_timestamps(schemas: dict) -> None:
    """``declared_at`` is an RFC 3339 timestamp in UTC (``…Z``)."""
    prop = schemas["DeclarationState"]["properties"]["declared_at"]
    for part in prop.get("anyOf", [prop]):
        if part.get("type") == "string":
            part.update(format="date-time", pattern=r"Z$",
                        description="Horodatage RFC 3339 en UTC, ex. 2026-11-30T09:15:00Z")


HANDOFF_EXAMPLE = {
    "source_dms": "tec3h", "dms_order_ref": "BC-2026-00042", "dealer": {"rrdi": "953617Z"},
    "seller": "Julie Martin",
    "sale": {"sale_date": "2026-11-28", "delivery_date": "2026-11-30", "origin": "Reprise VO sur VO",
             "price_ttc": "18990.00"},
    "customer": {"civility": "MME", "last_name": "DURAND", "first_name": "Claire",
                 "birth_date": "1984-06-02", "birth_place": "Lyon", "birth_country": "France",
                 "nationality": "France", "residence_country": "France",
                 "email": "claire.durand@example.fr", "phone": "0102030405", "address": "12 rue des Lilas",
                 "postcode": "69003", "city": "LYON", "consent": ["email"]},
    "vehicle": {"kind": "VP", "plate": "GH-482-KL", "vin": "VF3M45GZRLS123456", "brand": "PEUGEOT",
                "model": "3008", "version": "1.2 PureTech 130 S&S EAT8 Allure", "energy": "ESSENCE",
                "first_registration": "2022-03-15", "din_power": 130, "mileage_km": 38500,
                "manufacturer_warranty_end": "2024-03-15", "manufacturer_warranty_km": 999999,
                "usage": "particulier", "ptac_kg": 2030},
    # complete, as the receipt example (no warnings) says: vendors copy it as their first hand-off
    "warranty": {"label": "SPOTICAR", "product": "SPOTICAR PREMIUM", "duration_months": 12,
                 "start_date": "2026-11-30"},
    "callback_url": "https://dms.example.fr/spoticar/callback",
}
RECEIPT_EXAMPLE = {"handoff_id": 42, "bdc_number": "SP953617Z103833742",
                   "declaration_url": "https://cds.example.fr/declaration/eyJhbGciOi…", "status": "pending",
                   "warnings": []}
STATE_EXAMPLE = {"bdc_number": "SP953617Z103833742", "status": "declared", "garantisseur": "stellantis",
                 "contract_number": "C2026000042", "dms_order_ref": "BC-2026-00042",
                 "declared_at": "2026-11-30T09:15:00Z", "message": None}


def error_example(field: str | None, message: str) -> dict:
    return {"errors": [{"field": field, "message": message}]}


ERROR_EXAMPLES = {
    "400": error_example(None, "Le corps de la requête n'est pas un JSON valide."),
    "401": error_example(None, "Clé d'API absente ou invalide (en-tête Authorization: Bearer <clé>)."),
    "403": error_example("dealer.rrdi", "Le point de vente 953617Z n'est pas servi par le DMS pvo2."),
    "404": error_example(None, "Aucune déclaration n° SP953617Z103833799 pour le DMS tec3h."),
    "413": error_example(None, "Le contenu envoyé est trop volumineux."),
    "415": error_example(None, "Type de contenu non pris en charge : JSON attendu "
                               "(Content-Type: application/json)."),
    "422": error_example("vehicle.vin", "Le VIN doit comporter exactement 17 caractères (lettres et "
                                        "chiffres, sans I, O ni Q)."),
    "429": error_example(None, "Trop de requêtes pour cette session de certification : ralentissez (au plus "
                               "20 par seconde)."),
}
