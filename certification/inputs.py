"""What a certification session's pages and API accept (pydantic models): imported by the first
request that opens a session or reads a DMS back, not when the centralisateur starts."""
from __future__ import annotations

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from spoticar_handoff.catalogue import DMS_NAMES
from spoticar_handoff.statuses import STATUSES


class SessionIn(BaseModel):
    """``POST /certification/sessions`` (JSON) and the page's form."""
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)  # built at first use
    dms: str = Field(pattern="^(" + "|".join(DMS_NAMES) + ")$")
    callback_url: AnyHttpUrl | None = None
    wait_seconds: int | None = Field(default=None, ge=5, le=86_400)


class ReadbackIn(BaseModel):
    """``POST /certification/sessions/<id>/readback``: what the DMS shows of the order (JSON or form)."""
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)  # built at first use
    contract_number: str | None = Field(default=None, max_length=40)
    status: str | None = Field(default=None, pattern="^(" + "|".join(STATUSES) + ")$")
