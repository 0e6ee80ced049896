"""Support for the DMS browser suites: the two confirmations of 3/3 after a DMS hand-off."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.pages.centralisateur import ConfirmationPage


def expect_both_confirmations(page: Page, rrdi: str) -> str:
    """Check the 3/3 page shows both confirmation messages of seed 000; the contract number shown."""
    confirmation = ConfirmationPage(page)
    expect(confirmation.success).to_contain_text("Votre demande a été effectuée avec succès (numéro de bon de "
                                                 f"commande : N° SP{rrdi}")
    expect(confirmation.contract).to_contain_text(re.compile(
        r"\[Garantie SPOTICAR Stellantis\] La création a bien été effectuée \(numéro de contrat : \d{11}\)"))
    return re.search(r"\d{11}", confirmation.contract.inner_text()).group(0)
