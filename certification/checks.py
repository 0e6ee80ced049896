"""The checks of the plan: small pure functions of the recorded exchanges. Each takes a ``Context``
and returns ``Finding``s, or a ``Waiting`` while the DMS has not sent what it needs; so a verdict can
be recomputed from the evidence alone (``certification.evaluate``)."""
from __future__ import annotations

import copy
import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from certification import exchanges as ex
from certification.verdicts import Finding, Waiting, mismatch
from spoticar_handoff import eligibility
from spoticar_handoff.fields import normalize_plate, normalize_vin
from spoticar_handoff.models import Customer, Sale, Vehicle, Warranty
from spoticar_handoff.warnings import handoff_warnings
from fixtures.reference import normalize_brand

DEFAULTS = {"callback_bound_ms": 5000, "settle_seconds": 2.0, "poll_max_per_10s": 10,
            "polls_after_final": 1, "observe_seconds": 30.0}
RULE_FIELDS = {"brand": "vehicle.brand", "power": "vehicle.din_power", "usage": "vehicle.usage",
               "ptac": "vehicle.ptac_kg"}
MATCHED = {"vehicle.plate": normalize_plate, "vehicle.vin": normalize_vin, "vehicle.brand": normalize_brand,
           "vehicle.din_power": int, "vehicle.first_registration": str, "vehicle.mileage_km": int,
           "sale.sale_date": str, "sale.delivery_date": str, "customer.last_name": str.upper,
           "warranty.label": str, "warranty.product": str, "warranty.duration_months": int,
           "warranty.start_date": str}
# a hand-off counts for the session only with its key and dealer: the DMS is told so while it waits
SESSION_KEY = ("avec la clé d'API et le point de vente de la session (une transmission refusée 401 ou 403 — autre "
               "clé, autre point de vente — n'est pas comptée)")


def _text(value) -> str:
    """Free text as a DMS may store it: case, accents and spacing aside ("Pélissier" is "PELISSIER"),
    as brands are compared."""
    return normalize_brand(str(value))


def _phone(value) -> str:
    """A French number written either way: "+33 1 02 03 04 05" is "0102030405"."""
    digits = re.sub(r"[\s.\-()]", "", str(value))
    return re.sub(r"^(?:\+33|0033)(?=[1-9][0-9]{8}$)", "0", digits)


# Compared when the DMS sends them (a field it leaves out is judged by ``required_fields_present``): the
# customer a mapping error mixes up (another person's name, email or address) shows on form 2/3 as
# pre-filled, wrong, values the dealer has no reason to notice. The price has its own comparison
# (``_price_finding``): to the cent, and a price without VAT named as such.
MATCHED_WHEN_SENT = {"customer.civility": str, "customer.first_name": _text, "customer.birth_date": str,
                     "customer.birth_place": _text, "customer.email": lambda v: str(v).strip().lower(),
                     "customer.phone": _phone, "customer.mobile": _phone, "customer.address": _text,
                     "customer.postcode": lambda v: str(v).strip(), "customer.city": _text,
                     "vehicle.kind": str, "vehicle.energy": str,
                     "vehicle.model": _text}


# Compared in handoff-complete only, not in the other scenarios' sales: our DMS simulators know no VU
# (they send "VP" for eligibility-ptac's Citroën Jumper); to compare there once they do.
STRICT_ONLY = ("vehicle.kind",)


@dataclass
class Context:
    scenario: dict
    sale: dict | None
    entries: list[dict]
    session_entries: list[dict] = field(default_factory=list)
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    final: bool = False
    correction: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    actions: dict = field(default_factory=dict)
    bdc_owners: dict = field(default_factory=dict)   # bon de commande → the scenario whose hand-off got it first

    def param(self, name: str):
        return self.params.get(name, DEFAULTS[name])

    def handoffs(self) -> list[dict]:
        return [e for e in ex.ordered(self.entries) if ex.is_handoff(e)]

    def accepted_handoffs(self) -> list[dict]:
        return [e for e in self.handoffs() if ex.accepted(e)]

    def bdcs(self) -> set[str]:
        return {b for e in self.accepted_handoffs() if (b := ex.bdc_of(e))}


def _ids(*entries) -> list[str]:
    return [str(e["id"]) for e in entries]


# Each section validated as the API validates it (``spoticar_handoff.models``, what the centralisateur
# stores): a value is compared as stored (« essence » is ESSENCE, « aa000aa » is AA-000-AA), the
# section's other required fields given a placeholder; a value the model refuses is kept as sent.
SECTIONS = {"vehicle": (Vehicle, {"brand": "X"}), "customer": (Customer, {"last_name": "X"}),
            "sale": (Sale, {}), "warranty": (Warranty, {})}


@functools.lru_cache(maxsize=4096)
def _stored_cached(path: str, value):
    section, _, name = path.partition(".")
    model, placeholders = SECTIONS[section]
    try:
        return model.model_validate({**placeholders, name: value}).model_dump(mode="json")[name]
    except (ValueError, TypeError):  # refused by the model (pydantic's ValidationError is a ValueError): as sent
        return value


def _stored(path: str, value):
    """``value`` as the centralisateur stores it for ``path`` ("vehicle.energy")."""
    if value is None or path.partition(".")[0] not in SECTIONS:
        return value
    try:
        return _stored_cached(path, value)
    except TypeError:  # unhashable (a list, an object sent for a text): as sent
        return value


def _normalised(path: str, value):
    """The value as stored by the API, then as the plan compares it (case and spacing of free text,
    the brand's spelling, a phone number written either way)."""
    value = _stored(path, value)
    try:
        return {**MATCHED, **MATCHED_WHEN_SENT}[path](value) if value is not None else None
    except Exception:  # a malformed value is compared as received
        return value


def _field_message(error: dict) -> str:
    """One error of a refusal: « field: message », or the message alone for the request as a whole."""
    return f"{error.get('field')}: {error.get('message')}" if error.get("field") else str(error.get("message"))


def handoff_accepted(ctx: Context):
    """The centralisateur accepted the scenario's hand-off (201, or 200 for a resend)."""
    handoffs = ctx.handoffs()
    if not handoffs:
        return Waiting("handoff_accepted", f"une transmission (POST /api/v1/handoffs) pour ce scénario, {SESSION_KEY}")
    good = ctx.accepted_handoffs()
    if good:
        reused = new_order(ctx)
        if reused:
            return reused
        duplicates = _one_order(ctx, good)
        if isinstance(duplicates, Waiting):
            return duplicates
        return [Finding("handoff_accepted", "pass", f"Transmission acceptée (HTTP {good[0]['status']}, "
                                                     f"bon de commande {ex.bdc_of(good[0])}).", _ids(good[0])),
                *duplicates]
    last = handoffs[-1]
    if (throttled := _throttled(ctx, "handoff_accepted")) is not None:
        return throttled
    errors = (ex.body_json(last["response"]) or {}).get("errors") or []
    lines = " ; ".join(_field_message(e) for e in errors if isinstance(e, dict))
    retry = " Réessayez après le délai indiqué par l'en-tête Retry-After." if last["status"] == 429 else ""
    return [Finding("handoff_accepted", "fail", f"Transmission refusée (HTTP {last['status']}) : "
                                                f"{(lines or 'sans motif').rstrip('.')}.{retry}",
                    _ids(*handoffs))]


def _throttled(ctx: Context, check: str) -> Waiting | None:
    """The last hand-off got 429 (the session's rate, 20 requests/s): not a verdict on the demand, which
    the DMS sends again after ``Retry-After``; the scenario waits for it (its wait still bounds it)."""
    handoffs = ctx.handoffs()
    if not handoffs or handoffs[-1].get("status") != 429 or ctx.final:
        return None
    return Waiting(check, "la transmission renvoyée après le refus 429 (trop de requêtes pour la session : au "
                          "plus 20 par seconde), une fois écoulé le délai de l'en-tête Retry-After")


def new_order(ctx: Context) -> list[Finding]:
    """A scenario that instructs a new sale gets a new order: its first accepted hand-off is a 201 with
    a bon de commande no earlier scenario got. A 200 is the centralisateur saying « this order, already
    received »: a DMS re-using another sale's dms_order_ref has overwritten that earlier declaration,
    still pending, with this vehicle. Only failures are returned (the pass is ``handoff_accepted``'s)."""
    good = ctx.accepted_handoffs()
    if not good:
        return []
    first, bdc = good[0], ex.bdc_of(good[0])
    sid = ctx.scenario["id"]
    owner = ctx.bdc_owners.get(bdc) if bdc else None
    ours = {str(e["id"]) for e in ctx.entries}
    earlier = next((e for e in ex.ordered(ctx.session_entries) if ex.is_handoff(e) and ex.accepted(e)
                    and ex.bdc_of(e) == bdc and str(e["id"]) not in ours and ex.when(e) <= ex.when(first)), None)
    if owner == sid and earlier is None and first.get("status") == 201:
        return []
    if owner in (None, sid) and earlier is None:
        if first.get("status") == 201:
            return []
        return [Finding("handoff_accepted", "fail", f"La vente de ce scénario a reçu HTTP {first.get('status')} "
                                                    f"(bon de commande {bdc}, dms_order_ref {_order_ref(first)}) : "
                                                    "une commande déjà transmise, pas une nouvelle. Une nouvelle "
                                                    "vente est une nouvelle commande du DMS : un nouveau "
                                                    "dms_order_ref, une réponse 201.", _ids(first),
                        [mismatch("status", 201, first.get("status"))])]
    other = owner if owner not in (None, sid) else "un scénario précédent"
    # the scenario's own exchange is cited (a report's evidence is its scenario's); the earlier one is named
    return [Finding("handoff_accepted", "fail", f"La vente de {sid} a été transmise sous la commande de {other} : "
                                                f"dms_order_ref {_order_ref(first)}, réponse HTTP {first.get('status')} "
                                                f"avec le bon de commande {bdc} de {other}. La déclaration en "
                                                f"attente de {other} montre désormais ce véhicule. Chaque vente "
                                                "est une nouvelle commande du DMS : un nouveau dms_order_ref, une "
                                                "réponse 201 et un nouveau bon de commande.", _ids(first),
                    [mismatch("bdc_number", f"nouveau (pas celui de {other})", bdc),
                     mismatch("status", 201, first.get("status"))])]


def _order_ref(entry: dict):
    """The DMS's order number a hand-off carries."""
    return (ex.body_json(entry["request"]) or {}).get("dms_order_ref")


def _one_order(ctx: Context, good: list[dict]) -> list[Finding] | Waiting:
    """One sale, one order: the sale sent under a second dms_order_ref (a double click, a retry that makes
    a new order number) gets a second bon de commande for the same vehicle; so the verdict waits a few
    quiet seconds after the last one, as ``no_blind_retry`` does. The resend and correction scenarios
    judge their second send themselves."""
    if {"resend_same_bdc", "correction_prefills"} & set(ctx.scenario.get("checks", ())):
        return []
    refs = list(dict.fromkeys(_order_ref(e) for e in good))
    if len(refs) < 2:
        quiet = (ctx.now - ex.when(good[-1])).total_seconds()
        if quiet < ctx.param("settle_seconds") and not ctx.final:
            return Waiting("handoff_accepted", "quelques secondes sans second envoi de la même vente")
        return []
    bdcs = list(dict.fromkeys(ex.bdc_of(e) for e in good))
    return [Finding("handoff_accepted", "fail", f"La même vente a été transmise sous {len(refs)} commandes "
                                                f"(dms_order_ref {', '.join(map(str, refs))}) : bons de commande "
                                                f"{', '.join(map(str, bdcs))} pour un seul véhicule. Un nouvel "
                                                "envoi de la même commande reprend son dms_order_ref.",
                    _ids(*good), [mismatch("dms_order_ref", refs[0], refs[1])])]


def required_fields_present(ctx: Context):
    """Every field form 2/3 requires is in the hand-off and well formed, by the SDK's own rule set
    (``spoticar_handoff.handoff_warnings``, what the centralisateur answers in ``warnings``): each
    problem is named by the form label it will block ("Immatriculation*")."""
    good = ctx.accepted_handoffs()
    if not good:
        return Waiting("required_fields_present", "une transmission acceptée")
    body = ex.body_json(good[-1]["request"]) or {}
    findings = [Finding("required_fields_present", "fail", f"{w.field} : {w.message}", _ids(good[-1]),
                        [mismatch(w.field, ex.dig(ctx.sale, w.field) or "une valeur valide", ex.dig(body, w.field))])
                for w in handoff_warnings(body)]
    return findings or [Finding("required_fields_present", "pass",
                                "Tous les champs obligatoires du formulaire 2/3 sont transmis, au bon format.",
                                _ids(good[-1]))]


PRICE = "sale.price_ttc"
CENT = Decimal("0.01")
VAT = Decimal("1.2")      # France's standard rate, 20 %


def _cents(value) -> Decimal | None:
    """An amount as sent (« 15000.00 », 15000), rounded to the cent; None when it is no amount."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return amount.quantize(CENT, rounding=ROUND_HALF_UP) if amount.is_finite() else None


def _price_finding(ctx: Context, body: dict, entry: dict) -> Finding | None:
    """``sale.price_ttc`` is the sale's price VAT included, as instructed, to the cent (rounding of the
    amount sent to the cent is the only tolerance); the price without VAT (TTC / 1,2) is named as such.
    Judged when sent (form 2/3's « Prix de vente » is optional)."""
    expected, received = _cents(ex.dig(ctx.sale, PRICE)), ex.dig(body, PRICE)
    if expected is None or received is None or _cents(received) == expected:
        return None
    without_vat = (expected / VAT).quantize(CENT, rounding=ROUND_HALF_UP)
    sent = _cents(received)
    if sent is not None and abs(sent - without_vat) <= CENT:
        message = (f"{PRICE} : {received} transmis, c'est le prix hors taxes de la vente ({expected} / 1,2) ; "
                   f"attendu le prix de vente TTC, TVA comprise : {expected}.")
    else:
        message = (f"{PRICE} : {received} transmis, attendu le prix de vente TTC de la vente, TVA comprise : "
                   f"{expected} (au centime près ; le véhicule seul, sans frais ni accessoires de la commande).")
    return Finding("values_match_sale", "fail", message, _ids(entry),
                   [mismatch(PRICE, ex.dig(ctx.sale, PRICE), received)])


def _judged_demand(ctx: Context) -> tuple[dict | None, dict | None]:
    """(the hand-off whose values are compared, the sale it must carry): the last accepted one — for a
    correction sent again, the corrected sale —, or for an eligibility scenario the refused demand (its
    first 422, else its last hand-off)."""
    good = ctx.accepted_handoffs()
    if ctx.scenario.get("rule"):
        refused = [e for e in ctx.handoffs() if e["status"] == 422]
        entry = refused[0] if refused else (ctx.handoffs() or [None])[-1]
        if entry is not None and entry.get("status") not in (200, 201, 422):
            entry = None   # refused before its values were read (401, 403, 400, 429): nothing to compare
        return entry, ctx.sale
    if not good:
        return None, ctx.sale
    expected = ctx.sale
    if ctx.correction and len(good) >= 2 and expected is not None:
        expected = copy.deepcopy(expected)
        for path, value in ctx.correction.items():
            section, name = path.split(".", 1)
            expected.setdefault(section, {})[name] = value
    return good[-1], expected


def values_match_sale(ctx: Context):
    """The values sent are those of the instructed sale (plate, VIN, brand, DIN power, dates, warranty,
    the customer when sent, the price TTC when sent), compared as the API stores them. Judged in every
    scenario that instructs a sale (``evaluate.verdict`` adds it): in ``handoff-complete`` a field left
    out is a mismatch; elsewhere (``required_fields_present`` is ``handoff-complete``'s) only the fields
    sent are compared. An eligibility scenario's refused demand must be the instructed sale too."""
    strict = "values_match_sale" in ctx.scenario.get("checks", ())
    entry, sale = _judged_demand(ctx)
    if entry is None:
        return Waiting("values_match_sale", "une transmission acceptée") if strict else []
    refused = entry.get("status") == 422
    body = ex.body_json(entry["request"]) or {}
    price = _price_finding(Context(ctx.scenario, sale, ctx.entries), body, entry)
    diff = []
    for path in [*MATCHED, *MATCHED_WHEN_SENT]:
        expected, received = ex.dig(sale, path), ex.dig(body, path)
        if received is None and (path in MATCHED_WHEN_SENT or not strict) or (path in STRICT_ONLY and not strict):
            continue
        if expected is not None and _normalised(path, expected) != _normalised(path, received):
            diff.append(mismatch(path, expected, received))
    what = "La demande refusée (422)" if refused else "Les valeurs transmises (POST /api/v1/handoffs)"
    if diff:
        corrected = " corrigée" if sale is not ctx.sale else ""
        verb = "n'est pas la vente" if refused else "ne sont pas celles de la vente"
        return [Finding("values_match_sale", "fail", f"{what} {verb} demandée{corrected} : "
                        + ", ".join(d["path"] for d in diff) + ".", _ids(entry), diff),
                *([price] if price else [])]
    if price:
        return [price]
    return [Finding("values_match_sale", "pass", "La demande refusée est la vente demandée." if refused
                    else "Les valeurs transmises sont celles de la vente demandée.", _ids(entry))]


def resend_same_bdc(ctx: Context):
    """The same order sent again keeps its dms_order_ref and gets the same numéro de bon de commande:
    every later send, not only the second (judged again at the session's end, a late one too)."""
    good = ctx.accepted_handoffs()
    if len(good) < 2:
        return Waiting("resend_same_bdc", "un second envoi de la même commande")
    pair = [good[0], next((e for e in good[1:] if _order_ref(e) != _order_ref(good[0])
                           or ex.bdc_of(e) != ex.bdc_of(good[0])), good[1])]
    first, second = (ex.body_json(e["request"]) or {} for e in pair)
    bdcs = [ex.bdc_of(e) for e in pair]
    diff = []
    if first.get("dms_order_ref") != second.get("dms_order_ref"):
        diff.append(mismatch("dms_order_ref", first.get("dms_order_ref"), second.get("dms_order_ref")))
    if bdcs[0] != bdcs[1]:
        diff.append(mismatch("bdc_number", bdcs[0], bdcs[1]))
    if diff:
        return [Finding("resend_same_bdc", "fail", "Le renvoi (second POST /api/v1/handoffs) a créé une nouvelle "
                                                   f"commande : dms_order_ref {first.get('dms_order_ref')} puis "
                                                   f"{second.get('dms_order_ref')}, bon de commande {bdcs[0]} puis "
                                                   f"{bdcs[1]}.", _ids(*pair), diff)]
    return [Finding("resend_same_bdc", "pass", f"Même commande, même bon de commande {bdcs[0]}.", _ids(*good[:2]))]


def correction_prefills(ctx: Context):
    """A correction sent before the declaration reaches the same bon de commande, still pending, with
    the corrected values (the form 2/3 pre-fill changes)."""
    good = ctx.accepted_handoffs()
    if len(good) < 2:
        return Waiting("correction_prefills", "l'envoi de la commande corrigée")
    first, last = good[0], good[-1]
    body = ex.body_json(last["request"]) or {}
    diff = [mismatch(path, value, ex.dig(body, path)) for path, value in ctx.correction.items()
            if ex.dig(body, path) != value]
    if ex.bdc_of(first) != ex.bdc_of(last):
        diff.append(mismatch("bdc_number", ex.bdc_of(first), ex.bdc_of(last)))
    status = (ex.body_json(last["response"]) or {}).get("status")
    if status != "pending":
        diff.append(mismatch("status", "pending", status))
    if diff:
        return [Finding("correction_prefills", "fail", "La correction (dernier POST /api/v1/handoffs) n'a pas mis à "
                                                       f"jour la déclaration en attente {ex.bdc_of(first)} : "
                                                       + ", ".join(d["path"] for d in diff) + ".",
                        _ids(first, last), diff)]
    return [Finding("correction_prefills", "pass", "La correction a mis à jour le formulaire pré-rempli "
                                                   f"du bon de commande {ex.bdc_of(last)}.", _ids(first, last))]


def _breaks_rule(rule: str, body) -> bool:
    """Whether the value the DMS sent breaks the rule (the SDK's own): a number sent as text ("801")
    breaks none, and its 422 is a format error, not the rule's."""
    check = {"brand": eligibility.brand_refusal, "power": eligibility.power_refusal,
             "usage": eligibility.usage_refusal, "ptac": eligibility.ptac_refusal}[rule]
    value = ex.dig(body, RULE_FIELDS[rule])
    if rule in ("power", "ptac") and (not isinstance(value, int) or isinstance(value, bool)):
        return False
    try:
        return check(value) is not None
    except Exception:  # a value of the wrong type is refused for its type, by no rule
        return False


def refused_for_rule(ctx: Context):
    """The ineligible sale was refused with a 422 naming the rule."""
    handoffs = ctx.handoffs()
    if not handoffs:
        return Waiting("refused_for_rule", f"la transmission du véhicule non éligible, {SESSION_KEY}")
    rule = ctx.scenario["rule"]
    wanted = RULE_FIELDS[rule]
    for e in handoffs:
        errors = (ex.body_json(e["response"]) or {}).get("errors") or []
        if e["status"] == 422 and _breaks_rule(rule, ex.body_json(e["request"])) \
                and any(isinstance(x, dict) and x.get("field") == wanted for x in errors):
            message = next(x.get("message") for x in errors if isinstance(x, dict) and x.get("field") == wanted)
            return [Finding("refused_for_rule", "pass", f"Refus 422 sur {wanted} : {message}", _ids(e))]
    if (throttled := _throttled(ctx, "refused_for_rule")) is not None:
        return throttled
    last = handoffs[-1]
    expected, received = ex.dig(ctx.sale, wanted), ex.dig(ex.body_json(last["request"]), wanted)
    diff = [] if _normalised(wanted, expected) == _normalised(wanted, received) and type(expected) is type(received) \
        else [mismatch(wanted, expected, received)]
    errors = [x for x in (ex.body_json(last["response"]) or {}).get("errors") or [] if isinstance(x, dict)]
    if last["status"] == 422 and errors:
        lines = " ; ".join(_field_message(x) for x in errors)
        return [Finding("refused_for_rule", "fail", f"Refus 422 pour une autre raison que la règle d'éligibilité "
                                                    f"sur {wanted} ({lines}) : corrigez d'abord ces champs, la règle "
                                                    "sera alors jugée.", _ids(*handoffs), diff)]
    return [Finding("refused_for_rule", "fail", f"Aucun refus 422 sur {wanted} : le DMS n'a pas transmis la "
                                                "donnée qui rend le véhicule non éligible.", _ids(*handoffs), diff)]


def sends_usage_and_ptac(ctx: Context):
    """Every hand-off carries the vehicle's usage and PTAC, so the exclusions can be applied."""
    handoffs = ctx.handoffs()
    if not handoffs:
        return Waiting("sends_usage_and_ptac", "une transmission")
    body = ex.body_json(handoffs[0]["request"]) or {}
    diff = [mismatch(p, ex.dig(ctx.sale, p), None) for p in ("vehicle.usage", "vehicle.ptac_kg")
            if ex.dig(body, p) in (None, "")]
    if diff:
        return [Finding("sends_usage_and_ptac", "fail", "L'usage et le PTAC du véhicule doivent être transmis.",
                        _ids(handoffs[0]), diff)]
    return [Finding("sends_usage_and_ptac", "pass", "Usage et PTAC transmis.", _ids(handoffs[0]))]


def _sale_sent(entry: dict):
    """What a hand-off asks about the sale: its body without the order number and the callback address."""
    body = ex.body_json(entry["request"])
    if not isinstance(body, dict):
        return body
    return {k: v for k, v in body.items() if k not in ("dms_order_ref", "callback_url")}


def _refused_fields(entry: dict) -> list[str]:
    """The fields a 422 answer names (``errors[].field``)."""
    errors = (ex.body_json(entry["response"]) or {}).get("errors") or []
    return sorted({x["field"] for x in errors if isinstance(x, dict) and isinstance(x.get("field"), str)})


def _same_at(first: dict, later: dict, fields: list[str]) -> bool:
    """Whether ``later`` sends every field of ``fields`` as ``first`` did (compared as the plan compares
    values); False without any field named."""
    before, after = ex.body_json(first["request"]), ex.body_json(later["request"])
    if not fields or not isinstance(before, dict) or not isinstance(after, dict):
        return False
    return all(_normalised(f, ex.dig(before, f)) == _normalised(f, ex.dig(after, f)) for f in fields)


def no_blind_retry(ctx: Context):
    """After a 422, the demand is not sent again with what the refusal names unchanged (the answer would
    not change): neither as is, nor under a new order number, nor with other fields changed."""
    handoffs = ctx.handoffs()
    refused = [e for e in handoffs if e["status"] == 422]
    if not refused:
        if handoffs:
            return [Finding("no_blind_retry", "skip", "Aucun refus 422 : pas de renvoi à juger.")]
        return Waiting("no_blind_retry", "un refus 422")
    first, refused_sale = refused[0], _sale_sent(refused[0])
    named = _refused_fields(first)
    retries = [e for e in handoffs if e is not first and ex.when(e) > ex.when(first)
               and (_sale_sent(e) == refused_sale or _same_at(first, e, named))]
    if retries:
        if all(_sale_sent(e) == refused_sale for e in retries):
            renumbered = any(ex.dig(ex.body_json(e["request"]), "dms_order_ref")
                             != ex.dig(ex.body_json(first["request"]), "dms_order_ref") for e in retries)
            how = "à l'identique" + (" (seul le dms_order_ref change : un nouveau numéro de commande ne change "
                                      "pas la réponse)" if renumbered else "")
        else:
            body = ex.body_json(first["request"])
            how = ("sans corriger ce que le refus nomme (" + ", ".join(f"{f} : toujours {ex.dig(body, f)!r}"
                                                                     for f in named)
                   + ") : changer d'autres champs ne change pas la réponse")
        return [Finding("no_blind_retry", "fail", f"Après le refus 422, la même demande a été renvoyée "
                                                  f"{len(retries)} fois {how}.", _ids(first, *retries))]
    quiet = (ctx.now - ex.when(refused[0])).total_seconds()
    if quiet < ctx.param("settle_seconds") and not ctx.final:
        return Waiting("no_blind_retry", "quelques secondes sans nouvel envoi après le refus")
    return [Finding("no_blind_retry", "pass", "Pas de renvoi à l'identique après le refus.", _ids(refused[0]))]


def label_matches(ctx: Context):
    """DS CERTIFIED / ALFA ROMEO CERTIFIED sales carry their label and product."""
    good = ctx.accepted_handoffs()
    if not good:
        return Waiting("label_matches", "une transmission acceptée")
    body = ex.body_json(good[-1]["request"]) or {}
    diff = [mismatch(p, ex.dig(ctx.sale, p), ex.dig(body, p)) for p in ("warranty.label", "warranty.product")
            if ex.dig(ctx.sale, p) != ex.dig(body, p)]
    if diff:
        return [Finding("label_matches", "fail", "Le label de garantie transmis n'est pas celui de la vente.",
                        _ids(good[-1]), diff)]
    return [Finding("label_matches", "pass", f"Label {ex.dig(body, 'warranty.label')} transmis.", _ids(good[-1]))]
