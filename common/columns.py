"""Column types the stores share, named after what they hold, so that what a VIN, a SIRET or an amount
in euros is gets declared once. SQLAlchemy maps ``Mapped[Vin]`` to the column its ``Annotated`` type
carries; ``Mapped[Vin | None]`` makes it nullable and ``= mapped_column(index=True)`` (or ``default=``)
adds to it. Plain ``Mapped[int]``, ``Mapped[dt.date]``, ``Mapped[dt.datetime]`` need no column at all;
``IdColumn`` gives a table its integer key."""
# No ``from __future__ import annotations`` here: the ORM reads these annotations as objects; as
# strings it evaluates each one (~1,300 over the apps: ~20 ms of every start).

from decimal import Decimal
from typing import Annotated

from sqlalchemy import Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

# A vehicle as the hand-off describes it
Plate = Annotated[str, mapped_column(String(20))]     # immatriculation, AA-123-AA in France
Vin = Annotated[str, mapped_column(String(17))]
Brand = Annotated[str, mapped_column(String(40))]     # marque: PEUGEOT, DS…
Version = Annotated[str, mapped_column(String(120))]  # "1.2 PureTech 130 S&S EAT8 Allure"
Energy = Annotated[str, mapped_column(String(30))]    # ESSENCE, DIESEL…

# People and companies
PersonName = Annotated[str, mapped_column(String(80))]  # a last, first or birth name
City = Annotated[str, mapped_column(String(80))]
Email = Annotated[str, mapped_column(String(254))]      # the longest address RFC 5321 lets through
Phone = Annotated[str, mapped_column(String(20))]       # 0612345678 or +33612345678
Postcode = Annotated[str, mapped_column(String(5))]     # a French code postal
Siret = Annotated[str, mapped_column(String(14))]

Money = Annotated[Decimal, mapped_column(Numeric(10, 2))]  # euros and cents


class IdColumn:
    """A table's integer surrogate key, kept its first column (a mixin's columns otherwise come last)."""
    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)
