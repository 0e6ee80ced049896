"""``spoticar-harness dealers add`` / ``keys add``: write a deployment's dealers and DMS keys to its
configuration file (the one ``up --config FILE`` reads)."""
from __future__ import annotations

import functools
import getpass
import os
import sys


def _fail(exc: Exception) -> int:
    # here: every ``spoticar-harness`` command declares these ones
    from pydantic import ValidationError

    from common.errors import french_errors
    if isinstance(exc, ValidationError):
        message = " ; ".join(f"{e['field']} : {e['message']}" for e in french_errors(exc))
    else:
        message = str(exc)
    print(f"spoticar-harness: {message}", file=sys.stderr)
    return 2


def _password(args) -> str:
    if args.password_env:
        return os.environ.get(args.password_env, "")
    return getpass.getpass("Mot de passe de l'utilisateur du point de vente : ")


def _command(action):
    """A sub-command: ``action(args)`` returns what to print (exit 0) or raises ``ValueError``, whose
    French message goes to stderr (exit 2)."""
    @functools.wraps(action)
    def run(args) -> int:
        try:
            print(action(args))
        except ValueError as exc:  # pydantic's ValidationError included
            return _fail(exc)
        return 0
    return run


@_command
def _dealers_add(args) -> str:
    from common.onboarding import add_dealer
    password = _password(args)
    if len(password) < 12:
        raise ValueError("Le mot de passe doit comporter au moins 12 caractères.")
    entry = add_dealer(args.config, password=password, rrdi=args.rrdi.upper(), name=args.name,
                       dms=args.dms, code_t=args.code_t.upper(), configuration=args.configuration,
                       address=args.address, postcode=args.postcode, city=args.city, email=args.email,
                       login=args.login)
    return (f"Point de vente {entry.rrdi} ({entry.name}, DMS {entry.dms}) ajouté à {args.config} ; "
            f"connexion {entry.login}. Redémarrez le centralisateur pour le prendre en compte.")


@_command
def _keys_add(args) -> str:
    from common.onboarding import add_key
    key = add_key(args.config, args.dms, os.environ.get(args.key_env) if args.key_env else None,
                  args.callback_origin)
    return (f"Clé d'API du DMS {args.dms} ajoutée à {args.config} (à transmettre à l'éditeur, "
            f"elle n'est affichée qu'une fois) :\n{key}")


def register(sub) -> None:
    """Add the ``dealers`` and ``keys`` commands to the CLI's sub-parsers."""
    from fixtures.reference import configurations  # the Profil's configurations, without pydantic
    from spoticar_handoff.catalogue import DMS_NAMES
    dealers = sub.add_parser("dealers", help="points de vente d'un déploiement réel")
    dealers_sub = dealers.add_subparsers(dest="action", required=True)
    add = dealers_sub.add_parser("add", help="ajouter un point de vente au fichier de configuration")
    add.add_argument("--config", required=True, help="fichier TOML lu par « up --config »")
    add.add_argument("--rrdi", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--dms", required=True, choices=DMS_NAMES)
    add.add_argument("--code-t", required=True, help="identifiant Icare, ex. T18654")
    add.add_argument("--configuration", default="assurance", choices=tuple(configurations()))
    add.add_argument("--address", default="")
    add.add_argument("--postcode", default="")
    add.add_argument("--city", default="")
    add.add_argument("--email", default="", help="email de convention Icare")
    add.add_argument("--login", required=True, help="identifiant de connexion au centralisateur")
    add.add_argument("--password-env", help="variable d'environnement du mot de passe (sinon demandé)")
    add.set_defaults(func=_dealers_add)
    keys = sub.add_parser("keys", help="clés d'API des DMS d'un déploiement réel")
    keys_sub = keys.add_subparsers(dest="action", required=True)
    add = keys_sub.add_parser("add", help="ajouter la clé d'un DMS (générée si absente)")
    add.add_argument("--config", required=True)
    add.add_argument("--dms", required=True, choices=DMS_NAMES)
    add.add_argument("--key-env", help="variable d'environnement contenant la clé (sinon générée)")
    add.add_argument("--callback-origin", action="append", default=[],
                     help="origine privée (http://10.1.2.3:8080) où ce DMS peut être rappelé (répétable)")
    add.set_defaults(func=_keys_add)
