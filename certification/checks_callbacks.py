"""Checks on what the centralisateur sends the DMS (callbacks, the session's probes) and on how the
DMS uses the API over the whole session (declaration link opened, status polling). Pure functions."""
from __future__ import annotations

from urllib.parse import urlsplit

from certification import exchanges as ex
from certification.checks import Context, _ids
from certification.verdicts import Finding, Waiting, mismatch

# The replay probe is the valid probe sent again as is (same X-Spoticar-Delivery, same signature, a
# timestamp still within the tolerance): a delivery already applied, which a DMS may refuse (409, any
# 4xx) or acknowledge again without applying it twice (2xx) — both are idempotent answers. The stale
# probe (timestamp an hour old, fresh delivery id) must be refused.
EXPECTED_PROBES = {"valid": "2xx", "bad-signature": "4xx", "replay": "2xx ou 4xx", "stale": "4xx"}
PROBE_NAMES = {"valid": "correctement signé", "bad-signature": "mal signé (signature fausse)",
               "replay": "rejoué (même X-Spoticar-Delivery)", "stale": "périmé (X-Spoticar-Timestamp ancien)"}
FINAL_STATES = ("declared", "refused")
# A DMS polling once a second on a fixed-rate timer sends its 11th poll 10 s after its 1st, give or take
# the network's jitter: one early by a few ms made 11 in 10 s, and the plan's own pace (« une fois par
# seconde ») failed. Polls are counted over 10 s less this margin: 5 % over the pace, no more.
POLL_JITTER_SECONDS = 0.5


def _ok(entry: dict) -> bool:
    return isinstance(entry.get("status"), int) and 200 <= entry["status"] < 300


def _refused(entry: dict) -> bool:
    return isinstance(entry.get("status"), int) and 400 <= entry["status"] < 500


# a call that ended without an answer sooner than this never waited for one: the connection was
# refused or cut (nothing listening there), not a DMS too slow (every timeout is seconds)
UNREACHABLE_MS = 1000


def _unreachable(entry: dict) -> bool:
    return not entry.get("status") and (entry.get("duration_ms") or 0) < UNREACHABLE_MS


def _shown(entry: dict) -> str:
    """The DMS's answer; none within the centralisateur's timeout (a DMS too slow) says how long it
    waited; none at once, that the connection failed."""
    if entry.get("status"):
        return f"HTTP {entry['status']}"
    if not entry.get("duration_ms"):
        return "pas de réponse"
    seconds = f"{entry['duration_ms'] / 1000:.1f}".replace(".", ",")
    if _unreachable(entry):
        return f"pas de réponse : connexion refusée ou coupée au bout de {seconds} s (rien n'écoute à cette adresse ?)"
    return f"pas de réponse en {seconds} s"


def _exchange(entry: dict) -> str:
    """The exchange a finding is about, as the report's evidence lists it."""
    bdc = ex.bdc_of(entry)
    return f"{entry['method']} {entry.get('url') or entry['path']}" + (f", bon de commande {bdc}" if bdc else "")


def _callbacks(ctx: Context, entries=None) -> list[dict]:
    bdcs = ctx.bdcs()
    return [e for e in ex.ordered(entries if entries is not None else ctx.entries)
            if ex.is_callback(e) and ex.bdc_of(e) in bdcs]


def _state(entry: dict) -> dict:
    return ex.body_json(entry["request"]) or {}


def _no_callback_address(ctx: Context, check: str) -> list[Finding]:
    """A DMS relying on polling alone sends its sale without ``callback_url``: with none for the session
    either, the centralisateur has nowhere to call it back, and the scenario would wait for a callback
    never sent. Said while it waits (the sale sent again with one, before declaring, is the way out)."""
    accepted = ctx.accepted_handoffs()
    if not accepted or (ctx.sale or {}).get("callback_url") or \
            any(ex.dig(ex.body_json(e["request"]), "callback_url") for e in accepted):
        return []
    return [Finding(check, "fail", "La vente a été transmise sans callback_url, et la session n'a pas d'adresse de "
                                   "rappel : le centralisateur ne peut pas rappeler le DMS. Transmettez-la avec "
                                   "callback_url, une adresse que le DMS sert (son origine autorisée par "
                                   "l'opérateur), avant de la déclarer.", _ids(*accepted))]


def callback_acknowledged(ctx: Context):
    """The final-state callback is acknowledged with a 2xx within the bound, and it is what the
    scenario's eligible sale ends with: « declared » with a contract number (a « refused » one, or a
    « declared » without contract, does not show the DMS displays the contract)."""
    if not ctx.accepted_handoffs():
        return Waiting("callback_acknowledged", "une transmission acceptée avec une adresse de rappel")
    finals = [e for e in _callbacks(ctx) if _state(e).get("status") in FINAL_STATES]
    if not finals:
        return [*_no_callback_address(ctx, "callback_acknowledged"),
                Waiting("callback_acknowledged", "la déclaration dans le centralisateur (« Déclarer et Garantir »)"
                                                 " puis le rappel au DMS")]
    first = finals[0]
    bound = ctx.param("callback_bound_ms")
    if not _ok(first):
        slow = _what_to_fix("valid", first) if first.get("status") else (
            " Vérifiez que le récepteur de rappels du DMS est démarré et sert cette adresse." if _unreachable(first)
            else f" Acquittez en moins de {bound / 1000:.0f} s : répondez avant tout traitement long.")
        return [Finding("callback_acknowledged", "fail", f"Rappel « {_state(first).get('status')} » envoyé au DMS "
                                                         f"({_exchange(first)}) non acquitté : {_shown(first)}, "
                                                         f"attendu 2xx.{slow}", _ids(*finals),
                        [mismatch("status", "2xx", first.get("status"))])]
    if (first.get("duration_ms") or 0) > bound:
        return [Finding("callback_acknowledged", "fail", f"Rappel acquitté en {first['duration_ms']:.0f} ms, "
                                                         f"au-delà de {bound} ms.", _ids(first),
                        [mismatch("duration_ms", f"≤ {bound}", first["duration_ms"])])]
    state = _state(first)
    if state.get("status") != "declared" or not state.get("contract_number"):
        got = f"« {state.get('status')} »" + ("" if state.get("contract_number") else " sans numéro de contrat")
        return [Finding("callback_acknowledged", "fail", f"Le rappel final de la vente de ce scénario "
                                                         f"({_exchange(first)}) est {got} : la vente est éligible, "
                                                         "le scénario attend « declared » avec le numéro de contrat "
                                                         "(que le DMS affiche). Dans le centralisateur, complétez le "
                                                         "formulaire et cliquez sur « Déclarer et Garantir », sans "
                                                         "refuser la déclaration.", _ids(first),
                        [mismatch("status", "declared", state.get("status")),
                         *([] if state.get("contract_number") else
                           [mismatch("contract_number", "un numéro de contrat", None)])])]
    return [Finding("callback_acknowledged", "pass", f"Rappel « declared » acquitté ({_shown(first)}, "
                                                     f"{first.get('duration_ms') or 0:.0f} ms), contrat "
                                                     f"{state['contract_number']}.", _ids(first))]


def signature_probes(ctx: Context):
    """Signed callbacks accepted (2xx); badly signed and stale ones refused (4xx); the replayed one
    (already applied) acknowledged without effect (2xx) or refused (4xx), never a 5xx or no answer.
    The session sends several of each, in an order drawn at random: every one must be answered right."""
    if ctx.actions.get("signature_probes", "").startswith("skipped"):
        return [Finding("signature_probes", "skip", ctx.actions["signature_probes"].split(":", 1)[-1].strip())]
    probes: dict[str, list[dict]] = {}
    for e in ex.ordered(ctx.entries):
        if ex.probe_kind(e) in EXPECTED_PROBES:
            probes.setdefault(ex.probe_kind(e), []).append(e)
    missing = [k for k in EXPECTED_PROBES if k not in probes]
    if missing:
        return Waiting("signature_probes", "l'envoi des rappels de test par la session")
    findings = []
    for kind, expected in EXPECTED_PROBES.items():
        group = probes[kind]
        good = {"2xx": _ok, "4xx": _refused}.get(expected, lambda e: _ok(e) or _refused(e))
        wrong = [e for e in group if not good(e)]
        entry = (wrong or group)[0]
        count = f" ({len(wrong) if wrong else len(group)} sur {len(group)})" if len(group) > 1 else ""
        fix = _what_to_fix(kind, entry) if wrong else ""
        findings.append(Finding("signature_probes", "fail" if wrong else "pass",
                                f"Rappel {PROBE_NAMES[kind]} ({_exchange(entry)}) : {_shown(entry)}, attendu "
                                f"{expected}{count}.{fix}", _ids(*(wrong or group)),
                                [mismatch("status", expected, e.get("status")) for e in wrong]))
    return findings


def _what_to_fix(kind: str, entry: dict) -> str:
    """What the DMS has to change when it answered a callback wrong, in a sentence (``kind``: a probe's,
    "valid" for a correctly signed callback of the centralisateur's own)."""
    status = entry.get("status")
    if status and 300 <= status < 400:
        where = ex.header(entry.get("response") or {}, "Location")
        return (f" Le DMS a répondu par une redirection{f' (vers {where})' if where else ''}, que le centralisateur "
                "ne suit pas : le callback_url transmis doit être l'adresse même qui acquitte le rappel (chemin "
                "exact, « / » final compris).")
    if kind == "valid" and status in (401, 403):
        return (" Le DMS refuse un rappel correctement signé : il calcule X-Spoticar-Signature avec la clé d'API "
                "de la session (cs-…, pas la clé de production du DMS), HMAC-SHA256 en hexadécimal de "
                "« <X-Spoticar-Timestamp>.<X-Spoticar-Delivery>. » suivi du corps brut, tel que reçu.")
    if kind == "valid" and status == 404:
        return (" Rien ne répond à cette adresse, ou le DMS ne connaît pas ce bon de commande : le callback_url "
                "transmis doit être une adresse que le DMS sert.")
    if kind == "valid":
        return " Le DMS acquitte (2xx) un rappel correctement signé, sans erreur et en moins de 5 s."
    if kind == "bad-signature" and status and status < 300:
        return (" Le DMS a accepté un rappel dont la signature est fausse : il recalcule la signature et refuse "
                "(401) le rappel qui ne la porte pas, avant d'en rien appliquer.")
    if kind == "stale" and status and status < 300:
        return (" Le DMS a accepté un rappel daté d'il y a une heure : il refuse (401) un X-Spoticar-Timestamp "
                "hors de sa tolérance (300 s conseillées).")
    if kind in ("bad-signature", "stale"):
        return " Le DMS refuse ce rappel (401), sans erreur ni délai."
    return (" Le DMS répond toujours, sans erreur : une livraison déjà reçue (même X-Spoticar-Delivery) se "
            "refuse (409) ou s'acquitte (2xx) sans être appliquée à nouveau.")


def pending_then_declared(ctx: Context):
    """With Icare down, the DMS acknowledges "contract pending", then "declared" with the contract."""
    if ctx.actions.get("icare_outage", "").startswith("skipped"):
        return [Finding("pending_then_declared", "skip", ctx.actions["icare_outage"].split(":", 1)[-1].strip())]
    callbacks = _callbacks(ctx)
    pending = [e for e in callbacks if _state(e).get("status") == "contract_pending"]
    declared = [e for e in callbacks if _state(e).get("status") == "declared"]
    if not declared:
        return [*([] if callbacks else _no_callback_address(ctx, "pending_then_declared")),
                Waiting("pending_then_declared", "la déclaration puis les rappels « contrat en attente » et "
                                                 "« déclarée »")]
    findings = []
    if not pending:
        findings.append(Finding("pending_then_declared", "warn", "La panne d'Icare n'a pas été observée : aucun "
                                                                 "rappel « contrat en attente ».", _ids(*declared)))
    for label, group in (("contrat en attente", pending), ("déclarée", declared)):
        if group and not _ok(group[0]):
            findings.append(Finding("pending_then_declared", "fail", f"Rappel « {label} » ({_exchange(group[0])}) "
                                                                     f"non acquitté : {_shown(group[0])}, attendu "
                                                                     f"2xx.{_what_to_fix('valid', group[0])}",
                                    _ids(*group),
                                    [mismatch("status", "2xx", group[0].get("status"))]))
    contract = _state(declared[0]).get("contract_number")
    if not contract:
        findings.append(Finding("pending_then_declared", "fail", "Le rappel « déclarée » ne porte pas de numéro "
                                                                 "de contrat.", _ids(declared[0])))
    return findings or [Finding("pending_then_declared", "pass", f"« Contrat en attente » puis « déclarée » "
                                                                 f"(contrat {contract}) acquittés.",
                                _ids(*pending[:1], declared[0]))]


RETRY_NAMES = {"duplicate": "« déclarée » renvoyé (même X-Spoticar-Delivery)",
               "late-retry": "« contrat en attente » renvoyé en retard (même X-Spoticar-Delivery)"}


def duplicate_callback_harmless(ctx: Context):
    """A delivery received twice is applied once: the "declared" delivery and, late, the earlier
    "contract pending" one sent again (same delivery id, fresh signature) are acknowledged (2xx, or
    409 "already have it"), and the order the DMS shows afterwards (its readback: what its screens
    show, read by its driver or typed by the tester) is still declared with the contract."""
    if ctx.actions.get("icare_outage", "").startswith("skipped"):
        return [Finding("duplicate_callback_harmless", "skip", "Pas de déclaration sur laquelle dupliquer le rappel.")]
    retries = {}
    for e in ex.ordered(ctx.entries):
        if ex.probe_kind(e) in RETRY_NAMES:
            retries.setdefault(ex.probe_kind(e), e)
    declared = [e for e in _callbacks(ctx) if _state(e).get("status") == "declared"]
    if not retries and declared and not any(_ok(e) for e in declared):
        return [Finding("duplicate_callback_harmless", "skip", "Le rappel « déclarée » n'a pas été acquitté : "
                                                               "rien à dupliquer.", _ids(*declared))]
    if "duplicate" not in retries:
        return Waiting("duplicate_callback_harmless", "l'envoi du rappel dupliqué par la session")
    findings = []
    for kind, entry in retries.items():
        if not (_ok(entry) or entry.get("status") == 409):  # 409: "already have it" is harmless too
            findings.append(Finding("duplicate_callback_harmless", "fail", f"Rappel {RETRY_NAMES[kind]} "
                                    f"({_exchange(entry)}) : {_shown(entry)}, attendu 2xx ou 409, sans effet.",
                                    _ids(entry), [mismatch("status", "2xx ou 409", entry.get("status"))]))
    readback = ctx.actions.get("readback")
    if readback is None:
        if findings:
            return findings
        return Waiting("duplicate_callback_harmless", "le relevé de la commande dans le DMS après les rappels "
                                                      "renvoyés (numéro de contrat et statut affichés)")
    expected = _state(retries["duplicate"])
    shown = {"contract_number": readback.get("contract_number"), "status": readback.get("status")}
    wanted = {"contract_number": expected.get("contract_number"), "status": "declared"}
    diff = [mismatch(k, wanted[k], shown[k]) for k in wanted
            if shown[k] != wanted[k] and (k != "status" or shown[k] is not None)]
    if diff:
        findings.append(Finding("duplicate_callback_harmless", "fail", "Après les rappels renvoyés, la commande du "
                                f"DMS a changé : elle ne montre plus « déclarée » avec le contrat "
                                f"{wanted['contract_number']}.", _ids(*retries.values()), diff))
    return findings or [Finding("duplicate_callback_harmless", "pass", "Rappels renvoyés acquittés ("
                                + ", ".join(_shown(e) for e in retries.values()) + f") sans effet : la commande "
                                f"montre toujours le contrat {wanted['contract_number']}.", _ids(*retries.values()))]


def declaration_url_opened(ctx: Context):
    """The DMS opened (in the browser) the declaration page of every bon de commande this session's
    hand-offs were accepted for: the dealer declares there. A page counts for the BDC the journal
    recorded for it (the link's redirect names it; the link's token itself is masked in the journal),
    any of the links given for a BDC (each answer carries a fresh one). Only this session's pages
    carry its mark: a link kept from another session, or made up, does not count."""
    paths: dict[str, set[str]] = {}     # link's path → the BDCs it was given for (when not masked)
    handoffs: dict[str, list[dict]] = {}
    for e in ex.ordered(ctx.session_entries):
        url = (ex.body_json(e["response"]) or {}).get("declaration_url") \
            if ex.is_handoff(e) and ex.accepted(e) else None
        if isinstance(url, str) and (bdc := ex.bdc_of(e)):
            paths.setdefault(urlsplit(url).path, set()).add(bdc)
            handoffs.setdefault(bdc, []).append(e)
    opened: dict[str, dict] = {}
    for e in ex.ordered(ctx.session_entries):
        if not ex.is_declaration_open(e) or e.get("status") == 403:
            continue
        given = paths.get(e["path"], set())
        bdc = ex.bdc_of(e) or (next(iter(given)) if len(given) == 1 else None)
        if bdc in handoffs:
            opened.setdefault(bdc, e)
    missing = [bdc for bdc in handoffs if bdc not in opened]
    if handoffs and not missing:
        return [Finding("declaration_url_opened", "pass", f"Adresse de déclaration ouverte pour chaque bon de "
                                                          f"commande ({', '.join(handoffs)}).",
                        _ids(*opened.values()))]
    if not ctx.final:
        return Waiting("declaration_url_opened", "l'ouverture de declaration_url par le DMS")
    if not handoffs:
        return [Finding("declaration_url_opened", "fail", "Aucune transmission acceptée dans la session : le DMS "
                                                          "n'a reçu aucune adresse declaration_url à ouvrir.")]
    return [Finding("declaration_url_opened", "fail", f"Le DMS n'a jamais ouvert l'adresse declaration_url reçue "
                                                      f"pour {len(missing)} bon{'s' if len(missing) > 1 else ''} de "
                                                      f"commande sur {len(handoffs)} : {', '.join(missing)}. Après "
                                                      "chaque transmission acceptée, il ouvre dans le navigateur "
                                                      "l'adresse reçue : le point de vente y déclare la vente.",
                    _ids(*(e for bdc in missing for e in handoffs[bdc])),
                    [mismatch(f"declaration_url ({bdc})", "ouverte", "jamais ouverte") for bdc in missing])]


def polling_sane(ctx: Context):
    """Status polls at most N per 10 s per bon de commande, and no more once the status is final."""
    polls = [e for e in ex.ordered(ctx.session_entries) if ex.is_poll(e)]
    if not ctx.final:
        return Waiting("polling_sane", "la fin des autres scénarios (le rythme se juge sur toute la session)")
    if not polls:
        return [Finding("polling_sane", "skip", "Le DMS n'interroge pas l'API de statut (les rappels suffisent).")]
    findings, limit = [], ctx.param("poll_max_per_10s")
    by_bdc: dict[str, list[dict]] = {}
    for e in polls:
        by_bdc.setdefault(e["path"].rsplit("/", 1)[-1], []).append(e)
    for bdc, group in by_bdc.items():
        times = [ex.when(e) for e in group]
        worst = max(sum(1 for t in times if 0 <= (t - start).total_seconds() < 10 - POLL_JITTER_SECONDS)
                    for start in times)
        if worst > limit:
            findings.append(Finding("polling_sane", "fail", f"{worst} interrogations en 10 s pour {bdc} "
                                                            f"(au plus {limit}).", _ids(*group[:limit + 1]),
                                    [mismatch("polls_per_10s", f"≤ {limit}", worst)]))
        final_at = next((i for i, e in enumerate(group)
                         if (ex.body_json(e["response"]) or {}).get("status") in FINAL_STATES), None)
        after = len(group) - final_at - 1 if final_at is not None else 0
        if after > ctx.param("polls_after_final"):
            findings.append(Finding("polling_sane", "fail", f"{after} interrogations de {bdc} après son statut "
                                                            "final.", _ids(*group[final_at:final_at + 3]),
                                    [mismatch("polls_after_final", f"≤ {ctx.param('polls_after_final')}", after)]))
    return findings or [Finding("polling_sane", "pass", f"{len(polls)} interrogations, rythme raisonnable, "
                                                        "arrêtées une fois le statut final.", _ids(polls[0]))]
