"""The states of a declaration, with their French labels and whether they are final.

A final state (declared, refused) never changes again: a DMS stops polling once it has one, and a
late callback carrying an earlier state must not take it back.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DeclarationStatus(StrEnum):
    """``status`` of a hand-off receipt, of the status API and of a callback."""
    PENDING = "pending"
    CONTRACT_PENDING = "contract_pending"
    DECLARED = "declared"
    REFUSED = "refused"


@dataclass(frozen=True)
class StatusInfo:
    """A status value, its French label and whether it is final."""
    value: DeclarationStatus
    label: str
    is_final: bool


STATUSES: dict[str, StatusInfo] = {s.value: s for s in (
    StatusInfo(DeclarationStatus.PENDING, "En attente de déclaration", False),
    StatusInfo(DeclarationStatus.CONTRACT_PENDING, "Contrat en attente de création", False),
    StatusInfo(DeclarationStatus.DECLARED, "Déclarée", True),
    StatusInfo(DeclarationStatus.REFUSED, "Refusée", True),
)}
FINAL_STATUSES = tuple(v for v, s in STATUSES.items() if s.is_final)


def is_final(status: str | None) -> bool:
    """Whether ``status`` ("declared", "refused", …) can no longer change."""
    info = STATUSES.get(str(status)) if status else None
    return bool(info and info.is_final)


def label(status: str | None) -> str:
    """The French label of ``status`` (the value itself when unknown)."""
    info = STATUSES.get(str(status)) if status else None
    return info.label if info else (status or "")


def should_replace(current: str | None, incoming: str) -> bool:
    """Whether a record whose status is ``current`` takes ``incoming``: a final status is only ever
    replaced by another final one, so a late, stale state never undoes a declaration."""
    return not is_final(current) or is_final(incoming)
