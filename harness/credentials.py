"""Keys and logins the suites present to the apps they test: from pytest options or environment, the
demo values (``common.keys``) by default — so a suite can be aimed at a real system's staging."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from common import keys


@dataclass(frozen=True)
class Credentials:
    """What a test needs to speak to the apps: DMS API keys, the Icare service key, logins."""

    dms_keys: dict[str, str] = field(default_factory=keys.demo_dms_keys)
    icare_key: str = keys.DEMO_ICARE_SERVICE_KEY
    icare_password: str = field(default_factory=keys.demo_icare_password)  # demo portal accounts
    b2b_password: str = field(default_factory=keys.demo_b2b_password)      # demo Portail B2B identifiants
    dealer_passwords: dict[str, str] = field(default_factory=dict)          # centralisateur logins by RRDI
    test_key: str | None = None  # the test routes' key of a stack outside demo mode (``common.testing``)

    def dms_key(self, dms: str) -> str:
        """The hand-off API key of ``dms`` (tec3h, pvo2, bee2link, neovo)."""
        return self.dms_keys[dms]

    def dealer_password(self, rrdi: str) -> str:
        """The centralisateur login password of the dealer ``rrdi``."""
        return self.dealer_passwords.get(rrdi) or keys.demo_dealer_password(rrdi)

    def icare_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.icare_key}"}

    def test_headers(self) -> dict[str, str]:
        """What a call to the apps' test routes carries (nothing for a stack in demo mode)."""
        return keys.test_key_headers(self.test_key)


def add_options(group) -> None:
    """The pytest options (each with its environment variable) that override the demo values."""
    group.addoption("--dms-key", dest="dms_keys", action="append", default=[], metavar="DMS=KEY",
                    help="clé d'API d'un DMS (répétable) ; défaut : SPOTICAR_DMS_KEYS, sinon clés de démo")
    group.addoption("--icare-key", dest="icare_key", default=None,
                    help="clé de service Icare ; défaut : SPOTICAR_ICARE_SERVICE_KEY, sinon clé de démo")
    group.addoption("--icare-password", dest="icare_password", default=None,
                    help="mot de passe des comptes Services.Spoticar de démo (SPOTICAR_ICARE_PASSWORD)")
    group.addoption("--b2b-password", dest="b2b_password", default=None,
                    help="mot de passe des identifiants Portail B2B de démo (SPOTICAR_B2B_PASSWORD)")
    group.addoption("--test-routes-key", dest="test_routes_key", default=None,
                    help="clé des routes de test d'une pile hors mode démo (SPOTICAR_TEST_ROUTES_KEY ; "
                         "avec --stack : celle de son stack.json)")
    group.addoption("--dealer-password", dest="dealer_passwords", action="append", default=[],
                    metavar="RRDI=MOT_DE_PASSE", help="connexion centralisateur d'un distributeur (répétable)")


def from_options(option) -> Credentials:
    """Options first, then environment, then the demo values."""
    dms = {**keys.demo_dms_keys(), **keys.parse_pairs(os.environ.get("SPOTICAR_DMS_KEYS")),
           **keys.parse_pairs(",".join(option.dms_keys))}
    defaults = Credentials()
    return Credentials(
        dms_keys=dms,
        icare_key=option.icare_key or os.environ.get("SPOTICAR_ICARE_SERVICE_KEY") or defaults.icare_key,
        icare_password=(option.icare_password or os.environ.get("SPOTICAR_ICARE_PASSWORD")
                        or defaults.icare_password),
        b2b_password=option.b2b_password or os.environ.get("SPOTICAR_B2B_PASSWORD") or defaults.b2b_password,
        dealer_passwords=keys.parse_pairs(",".join(option.dealer_passwords)),
        test_key=option.test_routes_key or os.environ.get(keys.TEST_KEY_ENV) or None)
