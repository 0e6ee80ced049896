"""PSA Assurance (simulated on Icare): the policies a DMS declares directly ("Déclaration PSA Insurance")."""
# No ``from __future__ import annotations`` here: the ORM reads these annotations as objects; as
# strings it evaluates each one (~1,300 over the apps: ~20 ms of every start).

import datetime as dt

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from common.columns import IdColumn, Money
from simulators.icare.store import Base, WarrantyTerms


class PsaPolicy(IdColumn, WarrantyTerms, Base):
    """One policy per DMS order of a dealer (``rrdi`` + ``dms`` + ``dms_order_ref``)."""
    __tablename__ = "icare_psa_policies"
    __table_args__ = (UniqueConstraint("rrdi", "dms", "dms_order_ref", name="uq_icare_psa_policy_order"),)
    number: Mapped[str | None] = mapped_column(String(12), unique=True)
    rrdi: Mapped[str] = mapped_column(String(7))
    code_t: Mapped[str] = mapped_column(String(10))
    dms: Mapped[str] = mapped_column(String(20))
    dms_order_ref: Mapped[str] = mapped_column(String(40))
    premium_ttc: Mapped[Money]
    status: Mapped[str] = mapped_column(String(20), default="en vigueur")


def policy_number(created: dt.datetime, sequence: int) -> str:
    """``PA`` + year (2) + 8-digit sequence, e.g. PA2600000001."""
    return f"PA{created.year % 100:02d}{sequence % 100_000_000:08d}"
