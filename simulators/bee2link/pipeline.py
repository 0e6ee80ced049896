"""The Bee2link VO pipeline: its stages in order, their labels, and the counts shown on the bar."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

# (code, label on the pipeline bar); the sidebar groups them under PRÉ-RENTRÉE / STOCK.
STAGES: tuple[tuple[str, str], ...] = (
    ("pre_rentree", "PRÉ-RENTRÉE"),
    ("entree_physique", "Entrée physique"),
    ("destination_prix", "Destination prix"),
    ("preparation", "Préparation"),
    ("disponible", "Disponible à la vente"),
    ("livraison", "Livraison"),
    ("sortie", "SORTIE"),
)
STAGE_LABELS = dict(STAGES)
STOCK_STAGES = ("entree_physique", "destination_prix", "preparation", "disponible", "livraison")
ORIGINS: tuple[tuple[str, str], ...] = (
    ("particulier", "Particulier"), ("marchand", "Marchand"), ("encherisme", "Enchérisme"))
ORIGIN_LABELS = dict(ORIGINS)


def stage_label(code: str) -> str:
    """The label of a stage code ("disponible" → "Disponible à la vente")."""
    return STAGE_LABELS[code]


def is_stage(code: str | None) -> bool:
    """Whether ``code`` is a stage of the pipeline."""
    return code in STAGE_LABELS


def next_stage(code: str) -> str | None:
    """The stage after ``code`` (None after SORTIE)."""
    codes = [c for c, _ in STAGES]
    index = codes.index(code)
    return codes[index + 1] if index + 1 < len(codes) else None


def counts(rows: Iterable[tuple[str, dt.date]], today: dt.date) -> dict[str, tuple[int, int]]:
    """{stage: (entered today, total)} for every stage, from (stage, stage_since) pairs.

    The bar shows them as "0(5)": vehicles that reached the stage today, then all of them.
    """
    total: Counter = Counter()
    fresh: Counter = Counter()
    for stage, since in rows:
        total[stage] += 1
        if since == today:
            fresh[stage] += 1
    return {code: (fresh[code], total[code]) for code, _ in STAGES}


def latest_arrivals(rows: Iterable[tuple[str, dt.date]]) -> dict[str, dt.date | None]:
    """{stage: date the last vehicle reached it} (None for an empty stage), shown on the bar."""
    latest: dict[str, dt.date | None] = {code: None for code, _ in STAGES}
    for stage, since in rows:
        if latest[stage] is None or since > latest[stage]:
            latest[stage] = since
    return latest
