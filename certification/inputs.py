"""What a certification session's pages and API accept (pydantic models): imported by the first
request that opens a session or reads a DMS back, not when the centralisateur starts."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AnyHttpUrl, BaseModel, BeforeValidator, ConfigDict, Field

from spoticar_handoff.catalogue import DMS_NAMES
from spoticar_handoff.statuses import STATUSES

# a code out of a list, spaces around it aside (str_strip_whitespace reaches plain texts only); a value
# not in it is told the codes there are (« valeurs possibles : … »), not « Format invalide »
_stripped = BeforeValidator(lambda value: value.strip() if isinstance(value, str) else value)
DmsCode = Annotated[Literal[DMS_NAMES], _stripped]  # type: ignore[valid-type]
StatusCode = Annotated[Literal[tuple(str(s.value) for s in STATUSES)], _stripped]  # type: ignore[valid-type]


class SessionIn(BaseModel):
    """``POST /certification/sessions`` (JSON) and the page's form."""
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)  # built at first use
    dms: DmsCode
    callback_url: AnyHttpUrl | None = None
    wait_seconds: int | None = Field(default=None, ge=5, le=86_400)


class ReadbackIn(BaseModel):
    """``POST /certification/sessions/<id>/readback``: what the DMS shows of the order (JSON or form)."""
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)  # built at first use
    contract_number: str | None = Field(default=None, max_length=40)
    status: StatusCode | None = None
