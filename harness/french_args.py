"""``argparse`` in French for the ``spoticar-harness`` command line: its usage line, its sections, ``-h``
and the errors argparse words itself (a command mistyped, an option unknown or missing its value…),
which were English around messages that are all French.

argparse has no French catalogue (its words go through ``gettext``, which would need a compiled one):
the parser sets the words it owns and rewrites its error messages, each of the forms Python 3.11–3.13
write; one it does not know stays as argparse wrote it, after « erreur : »."""
from __future__ import annotations

import argparse
import re
import sys

USAGE = "utilisation : "
# argparse's messages (``ArgumentParser.error``'s argument, ``ArgumentError`` without its argument's name)
_MESSAGES = [(re.compile(pattern), french) for pattern, french in (
    (r"the following arguments are required: (.+)", r"arguments obligatoires manquants : \1"),
    (r"unrecognized arguments: (.+)", r"arguments inconnus : \1"),
    (r"one of the arguments (.+) is required", r"un des arguments \1 est obligatoire"),
    (r"ambiguous option: (\S+) could match (.+)", r"option ambiguë : \1 peut désigner \2"),
    (r"invalid choice: (.+?) \(choose from (.+)\)", r"choix invalide : \1 (au choix : \2)"),
    (r"expected one argument", "une valeur est attendue"),
    (r"expected at most one argument", "une valeur au plus est attendue"),
    (r"expected at least one argument", "au moins une valeur est attendue"),
    (r"expected (\d+) arguments?", r"\1 valeur(s) attendue(s)"),
    (r"invalid int value: (.+)", r"un nombre entier est attendu, pas \1"),
    (r"invalid float value: (.+)", r"un nombre est attendu, pas \1"),
    (r"invalid (\S+) value: (.+)", r"valeur invalide : \2"),
    (r"not allowed with argument (.+)", r"incompatible avec l'argument \1"),
    (r"ignored explicit argument (.+)", r"valeur \1 ignorée"),
)]
_ARGUMENT = re.compile(r"argument (\S+?): (.+)", re.DOTALL)


def french(message: str) -> str:
    """An argparse error message in French (as it was when argparse words it otherwise)."""
    named = _ARGUMENT.fullmatch(message)
    if named:
        return f"argument {named.group(1)} : {french(named.group(2))}"
    for pattern, replacement in _MESSAGES:
        found = pattern.fullmatch(message)
        if found:
            return found.expand(replacement)
    return message


class FrenchArgumentParser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` speaking French; its sub-commands' parsers are of this class too."""

    def __init__(self, *args, add_help: bool = True, **kwargs):
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="afficher cette aide et quitter")

    def _get_formatter(self):
        formatter = super()._get_formatter()  # whichever formatter class the parser was given
        add_usage = formatter.add_usage

        def french_usage(usage, actions, groups, prefix=None):
            return add_usage(usage, actions, groups, USAGE if prefix is None else prefix)
        formatter.add_usage = french_usage
        return formatter

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {french(message)}\n")
