"""Imprimer des documents on the common form layer: the document choice (Suivant, or saved as a
scenario) and the print options of the bon de commande."""
from __future__ import annotations

from common.dates import fr_date
from common.forms import CheckboxesField, DateField, TextField
from fixtures import reference
from simulators.pvo2.forms import PvoForm

NO_DOCUMENT = "Sélectionnez au moins un document à imprimer."


def documents() -> list[dict]:
    """The printable documents (one per brand), as the seed lists them."""
    return list(reference.load("pvo2_demo")["print_documents"])


class PrintChoiceForm(PvoForm):
    """The documents to print and the company name; ``purpose`` "scenario" asks for its name instead
    of the company. ``shown``: the documents the search left on screen (all by default)."""

    class Meta:
        id_prefix = "print-"

    purpose = "print"
    shown: list | None = None
    company = TextField("Nom de la société pour l'impression", max_length=80, star=False,
                        required=lambda form: form.purpose == "print",
                        messages={"required": "{label} : champ obligatoire."})
    document = CheckboxesField("Documents", star=False, required=True,
                               choices=lambda form: [(d["code"], d["name"]) for d in
                                                     (documents() if form.shown is None else form.shown)],
                               messages={"required": NO_DOCUMENT, "choice": NO_DOCUMENT})
    scenario_name = TextField("Nom du scénario", max_length=40, star=False,
                              required=lambda form: form.purpose == "scenario",
                              messages={"required": "{label} : champ obligatoire."})


class PrintOptionsForm(PvoForm):
    """Garantie and Options d'affichage of the Spoticar bon de commande."""

    class Meta:
        id_prefix = "print-"

    esa = TextField("Code ESA", max_length=80)
    start = DateField("Garantie du", hint="JJ/MM/AAAA")
    end = DateField("Garantie au", hint="JJ/MM/AAAA")
    warranty_number = TextField("N° garantie", max_length=80)
    usage = TextField("Usager prévu", max_length=80)

    def check(self) -> bool:
        """The fields, then an end of warranty before its start."""
        self.validate()
        if self.start.value and self.end.value and self.end.value < self.start.value:
            self.add_error("end", "Garantie au : la fin de garantie précède son début.")
        return not self.error_list

    def printed(self) -> dict[str, str]:
        """The options as the PDF prints them (dates JJ/MM/AAAA)."""
        return {name: fr_date(value) if name in ("start", "end") and value else (value or "")
                for name, value in self.values().items()}


class DocumentSearchForm(PvoForm):
    """« Chercher un document » (read from the query string)."""

    class Meta:
        id_prefix = "print-"

    q = TextField("Chercher un document", max_length=60)
