"""Real-mode onboarding: dealers, DMS keys and the Icare service key from a configuration file.

``spoticar-harness up --config FILE`` (TOML; YAML when PyYAML is installed) runs the centralisateur
outside demo mode with what the file lists; ``spoticar-harness dealers add`` / ``keys add`` append to
the same file, so there is one place where a deployment's dealers and keys are written down.
"""
from __future__ import annotations

import secrets
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from common.auth import hash_password
from common.errors import french_errors
from spoticar_handoff.models import DMS_NAMES

CONFIGURATIONS = ("assurance", "gestion_deleguee", "auto_assurance", "autre_garantisseur")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)  # built at first use


class KeyEntry(_Strict):
    dms: Literal[DMS_NAMES]  # type: ignore[valid-type]
    key: Annotated[str, Field(min_length=24, max_length=200)]
    # private origins this DMS may be called back on (common.egress), e.g. a staging DMS on 10.x
    callback_origins: list[Annotated[str, Field(pattern=r"^https?://[^/\s]+$", max_length=200)]] = \
        Field(default_factory=list)


def _login_email(value: str) -> str:
    """A login as the centralisateur's login form reads it (``common.forms.LoginEmailField``: NFKC,
    lower-case, Latin letters, accented or not): otherwise the dealer could never sign in with what was configured,
    or two logins could look alike."""
    from common.forms.fields import lower
    from common.forms.formats import check_login_email
    return check_login_email(lower(value))


class DealerEntry(_Strict):
    rrdi: Annotated[str, Field(pattern=r"^[0-9A-Z]{7}$")]
    name: Annotated[str, Field(min_length=1, max_length=120)]
    dms: Literal[DMS_NAMES]  # type: ignore[valid-type]
    code_t: Annotated[str, Field(pattern=r"^T[0-9]{5}$")]
    configuration: Literal[CONFIGURATIONS] = "assurance"  # type: ignore[valid-type]
    address: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    # the convention's email: Icare's « mot de passe oublié » makes its administrator's account from it
    email: Annotated[str, AfterValidator(lambda value: _login_email(value) if value else value)] = ""
    cirano_id: str | None = None
    login: Annotated[str, Field(min_length=3, max_length=254), AfterValidator(_login_email)]
    password_hash: Annotated[str, Field(min_length=10)]


class OnboardingConfig(_Strict):
    """What a configuration file may hold (every section optional)."""
    icare_service_key: Annotated[str, Field(min_length=24)] | None = None
    keys: list[KeyEntry] = Field(default_factory=list)
    dealers: list[DealerEntry] = Field(default_factory=list)

    def dms_keys(self) -> dict[str, str]:
        return {entry.dms: entry.key for entry in self.keys}


def load(path: str | Path) -> OnboardingConfig:
    """The file parsed and checked; ``ValueError`` with a French message naming the faulty entry."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"Fichier de configuration illisible : {path} ({exc.strerror}).") from exc
    try:
        if path.suffix in (".yaml", ".yml"):
            try:
                import yaml
            except ImportError as exc:
                raise ValueError("Fichier YAML : installez PyYAML (pip install pyyaml) ou utilisez TOML.") from exc
            data = yaml.safe_load(text) or {}
        else:
            data = tomllib.loads(text)
    except ValueError as exc:
        raise ValueError(f"{path} : syntaxe invalide ({exc}).") from exc
    try:
        config = OnboardingConfig.model_validate(data)
    except ValidationError as exc:
        lines = [f"{e['field']} : {e['message']}" if e["field"] else e["message"] for e in french_errors(exc)]
        raise ValueError(f"{path} : " + " ; ".join(lines)) from exc
    _unique(config)
    return config


def _unique(config: OnboardingConfig) -> None:
    for what, values in (("DMS", [k.dms for k in config.keys]), ("RRDI", [d.rrdi for d in config.dealers]),
                         ("code T", [d.code_t for d in config.dealers]),
                         ("identifiant", [d.login.lower() for d in config.dealers])):
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice and what == "DMS":  # met when a certifier wants a vendor's second staging address
            raise ValueError(f"DMS en double dans la configuration : {', '.join(twice)}. Un DMS a une seule "
                             "clé : pour l'appeler sur une autre origine, ajoutez-la à callback_origins de son "
                             "entrée [[keys]] dans le fichier, puis redémarrez.")
        if twice:
            raise ValueError(f"{what} en double dans la configuration : {', '.join(twice)}.")


def apply_to_config(app_config: dict) -> OnboardingConfig | None:
    """Read ``CONFIG_FILE`` into the app's config (DMS keys, Icare service key) before the app starts."""
    if not app_config.get("CONFIG_FILE"):
        return None
    config = load(app_config["CONFIG_FILE"])
    app_config["DMS_KEYS"] = {**config.dms_keys(), **(app_config.get("DMS_KEYS") or {})}
    app_config["DMS_CALLBACK_ORIGINS"] = {**{k.dms: k.callback_origins for k in config.keys},
                                          **(app_config.get("DMS_CALLBACK_ORIGINS") or {})}
    if config.icare_service_key and not app_config.get("ICARE_SERVICE_KEY"):
        app_config["ICARE_SERVICE_KEY"] = config.icare_service_key
    return config


# --- writing the file: `dealers add` / `keys add` append one TOML array-of-tables entry ------------

def _toml_value(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def _append(path: Path, table: str, entry: dict, check) -> None:
    """Append ``[[table]]`` to the file, after checking the whole file would still load."""
    block = f"\n[[{table}]]\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in entry.items() if v is not None)
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    if path.suffix in (".yaml", ".yml"):
        raise ValueError("dealers add / keys add écrivent un fichier TOML ; le YAML se modifie à la main.")
    candidate = path.with_name(path.name + ".tmp")
    candidate.write_text(before + block, encoding="utf-8")
    try:
        check(load(candidate))
    except ValueError:
        candidate.unlink()
        raise
    candidate.replace(path)
    path.chmod(0o600)  # it holds keys


def add_key(path: str | Path, dms: str, key: str | None = None, callback_origins: list[str] | None = None) -> str:
    """Append a DMS key (a new random one unless given), with the private origins it may be called back
    on; returns the key, to hand to the vendor once."""
    key = key or "sk-" + secrets.token_urlsafe(32)
    entry = KeyEntry(dms=dms, key=key, callback_origins=callback_origins or [])
    _append(Path(path), "keys", entry.model_dump(exclude_defaults=True) | {"dms": dms, "key": key}, lambda _: None)
    return key


def add_dealer(path: str | Path, *, password: str, **fields) -> DealerEntry:
    """Append a dealer with its login; the password is stored hashed."""
    entry = DealerEntry(password_hash=hash_password(password), **fields)
    _append(Path(path), "dealers", entry.model_dump(), lambda _: None)
    return entry
