"""``spoticar-harness certify start | report | verify | run``: open a session on a running
centralisateur, write a session's reports, check a report handed over against the centralisateur, or
certify one of our own DMS simulators end to end."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from spoticar_handoff.catalogue import DMS_NAMES

if TYPE_CHECKING:
    import httpx

DEFAULT_URL = "http://127.0.0.1:8000"
KEY_ENV = "SPOTICAR_CERTIFICATION_KEY"


def _fail(message: str) -> int:
    print(f"spoticar-harness: {message}", file=sys.stderr)
    return 2


def _errors(response: httpx.Response) -> str:
    try:
        return " ; ".join(e.get("message", "") for e in response.json().get("errors", []))
    except ValueError:
        return f"HTTP {response.status_code}"


def _unreachable(url: str, exc: Exception) -> str:
    """A network failure, in French and naming the centralisateur's address (« [Errno 111] Connection
    refused » alone says neither)."""
    import httpx
    if isinstance(exc, httpx.ConnectError):
        why = "connexion impossible (le centralisateur est-il démarré, l'adresse --url est-elle la bonne ?)"
    elif isinstance(exc, httpx.TimeoutException):
        why = "pas de réponse dans le délai"
    else:
        why = f"échange interrompu ({type(exc).__name__})"
    return f"le centralisateur {url} ne répond pas : {why}"


def _start(args) -> int:
    import httpx  # in each command, not at the top: every ``spoticar-harness`` command declares these

    from spoticar_handoff.tls import tls_context
    body = {"dms": args.dms, "callback_url": args.callback_url, "wait_seconds": args.wait}
    try:
        response = httpx.post(args.url.rstrip("/") + "/certification/sessions", timeout=30, verify=tls_context(),
                              json={k: v for k, v in body.items() if v is not None})
    except httpx.HTTPError as exc:
        return _fail(_unreachable(args.url, exc) + ".")
    if response.status_code != 201:
        return _fail(f"session refusée (HTTP {response.status_code}) : {_errors(response)}")
    s = response.json()
    print(f"Session de certification {s['id']} ouverte pour le DMS {s['dms']} (plan {s['plan']['id']} {s['plan']['version']}).\n"
          f"  Page de suivi        {s['url']}\n"
          f"  Centralisateur       {s['centralisateur_url']}  (API {s['api_url']})\n"
          f"  Clé d'API de session {s['key']}\n"
          f"  Point de vente       RRDI {s['dealer']['rrdi']}, code T {s['dealer']['code_t']}\n"
          f"  Profil               {s['dealer']['profil']}\n"
          f"  Adresse de rappel    {s['callback_url'] or '(celle de chaque vente)'}\n"
          f"Rapport : spoticar-harness certify report {s['id']} --out DIR "
          f"--url {s.get('centralisateur_url') or args.url} (clé dans {KEY_ENV} ou --key)")
    return 0


def fetch(url: str, session_id: str, key: str) -> tuple[dict, list[dict]]:
    """The session's JSON state and its evidence, read with the session key."""
    import httpx

    from spoticar_handoff.tls import tls_context
    headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
    base = f"{url.rstrip('/')}/certification/sessions/{session_id}"
    with httpx.Client(timeout=60, headers=headers, verify=tls_context()) as http:
        state = http.get(base)
        if state.status_code != 200:
            raise ValueError(f"session illisible (HTTP {state.status_code}) : {_errors(state)}")
        entries = http.get(base + "/evidence")
        if entries.status_code != 200:
            raise ValueError(f"preuves illisibles (HTTP {entries.status_code}) : {_errors(entries)}")
    return state.json(), entries.json()["entries"]


# the session's verdict and the scenarios' statuses as the report page says them; the code after it
# (passed, failed, incomplete) is the one report.json and a CI script read
VERDICT_WORDS = {"passed": "RÉUSSI", "failed": "ÉCHEC", "incomplete": "INCOMPLET"}
COUNT_WORDS = {"passed": "réussis", "failed": "échoués", "warning": "avertissements", "skipped": "ignorés",
               "waiting": "en attente"}


def verdict_words(verdict: str) -> str:
    return f"{VERDICT_WORDS.get(verdict, verdict)} ({verdict})"


def summary_line(report: dict, out: Path) -> str:
    counts = ", ".join(f"{COUNT_WORDS.get(k, k)} {v}" for k, v in report["summary"].items())
    return (f"Rapport de la session {report['session']['id']} : {verdict_words(report['verdict'])}, scénarios "
            f"{counts} → {out}")


def _report(args) -> int:
    import httpx

    from certification import report
    key = args.key or os.environ.get(KEY_ENV)
    if not key:
        return _fail(f"clé de session requise (--key ou {KEY_ENV}).")
    try:
        state, entries = fetch(args.url, args.session, key)
    except ValueError as exc:
        return _fail(str(exc))
    except httpx.HTTPError as exc:
        return _fail(_unreachable(args.url, exc) + ".")
    written = report.write(state, entries, Path(args.out))
    print(summary_line(written, Path(args.out)))
    return 0 if written["verdict"] == "passed" else 1


# ``certify verify``'s exit status (argparse's usage errors are 2)
VERIFIED_PASSED, VERIFIED_NOT_PASSED, NOT_CONFORMING, UNVERIFIABLE = 0, 1, 3, 4
VERIFY_CODES = """codes de sortie :
  0  rapport authentique, session réussie (passed)
  1  rapport authentique, session non réussie (failed ou incomplete)
  2  erreur d'utilisation (arguments)
  3  NON CONFORME : un fichier du rapport modifié, ajouté ou retiré, ou archive illisible
  4  vérification impossible : fichier introuvable, centralisateur injoignable, trop ancien ou
     ignorant la session"""


def _verify(args) -> int:
    from certification import attestation
    try:
        attested, problems = attestation.verify(Path(args.report), args.url)
    except attestation.Unverifiable as exc:
        print(f"spoticar-harness: vérification impossible : {exc}", file=sys.stderr)
        return UNVERIFIABLE
    for problem in problems:
        print(f"NON CONFORME : {problem}")
    if problems:
        return NOT_CONFORMING
    print(f"Rapport authentique : session {attested['session']} du DMS {attested['dms']} "
          f"(ouverte le {attested['created_at']}), verdict {verdict_words(attested['verdict'])}, "
          f"empreinte {attested['fingerprint']}.")
    return VERIFIED_PASSED if attested["verdict"] == "passed" else VERIFIED_NOT_PASSED


def _run(args) -> int:
    from certification.run import certify_simulators
    if not args.simulator:
        return _fail("seul --simulator est pris en charge : pour votre DMS, ouvrez une session (certify start).")
    names = list(dict.fromkeys(args.dms))
    out = Path(args.report)
    try:
        reports = certify_simulators(names, out, wait_seconds=args.wait)
    except (ValueError, TimeoutError) as exc:
        return _fail(str(exc))
    for dms, written in reports.items():
        print(summary_line(written, out if len(names) == 1 else out / dms))
    return 0 if all(written["verdict"] == "passed" for written in reports.values()) else 1


def register(sub) -> None:
    """Add ``certify`` and its three actions to the CLI's sub-parsers."""
    certify = sub.add_parser("certify", help="certification d'un DMS auprès du centralisateur de référence")
    actions = certify.add_subparsers(dest="action", required=True)
    start = actions.add_parser("start", help="ouvrir une session de certification")
    start.add_argument("--dms", required=True, choices=DMS_NAMES)
    start.add_argument("--callback-url", help="adresse de rappel du DMS testé")
    start.add_argument("--wait", type=int, help="attente maximale par scénario, en secondes (600)")
    start.add_argument("--url", default=DEFAULT_URL, help=f"centralisateur ({DEFAULT_URL})")
    start.set_defaults(func=_start)
    rep = actions.add_parser("report", help="écrire report.json, junit.xml, report.html et evidence.zip")
    rep.add_argument("session")
    rep.add_argument("--out", required=True)
    rep.add_argument("--key", help=f"clé de la session (sinon {KEY_ENV})")
    rep.add_argument("--url", default=DEFAULT_URL)
    rep.set_defaults(func=_report)
    ver = actions.add_parser("verify", help="vérifier un rapport remis (evidence.zip) auprès du centralisateur",
                             description="Vérifie chaque fichier d'un rapport remis auprès du centralisateur qui a "
                                         "mené la session.", epilog=VERIFY_CODES,
                             formatter_class=argparse.RawDescriptionHelpFormatter)
    ver.add_argument("report", help="répertoire du rapport ou evidence.zip")
    ver.add_argument("--url", default=DEFAULT_URL)
    ver.set_defaults(func=_verify)
    run = actions.add_parser("run", help="certifier un de nos simulateurs de DMS de bout en bout")
    run.add_argument("--dms", required=True, choices=DMS_NAMES, nargs="+",
                     help="un ou plusieurs DMS, certifiés en même temps sur le même centralisateur")
    run.add_argument("--simulator", action="store_true", help="notre simulateur de ce DMS")
    run.add_argument("--report", required=True,
                     help="répertoire des rapports (un sous-répertoire par DMS s'il y en a plusieurs)")
    run.add_argument("--wait", type=int, default=60, help="attente maximale par scénario, en secondes (60)")
    run.set_defaults(func=_run)
