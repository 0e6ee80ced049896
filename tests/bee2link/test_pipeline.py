"""The pipeline rules and Bee2link's euro amounts: small pure functions."""
import datetime as dt
from decimal import Decimal

import pytest

from simulators.bee2link import pipeline
from simulators.bee2link.handoff import euros

pytestmark = pytest.mark.bee2link


def test_counts_gives_every_stage_today_and_total():
    today = dt.date(2026, 1, 15)
    rows = [("preparation", today), ("preparation", dt.date(2026, 1, 2)), ("sortie", dt.date(2025, 1, 1))]
    counts = pipeline.counts(rows, today)
    assert counts["preparation"] == (1, 2)
    assert counts["sortie"] == (0, 1)
    assert counts["entree_physique"] == (0, 0)
    assert list(counts) == [code for code, _ in pipeline.STAGES]


def test_latest_arrivals_is_the_newest_date_per_stage():
    rows = [("preparation", dt.date(2026, 1, 2)), ("preparation", dt.date(2026, 1, 9)),
            ("sortie", dt.date(2025, 1, 1))]
    latest = pipeline.latest_arrivals(rows)
    assert latest["preparation"] == dt.date(2026, 1, 9)
    assert latest["sortie"] == dt.date(2025, 1, 1)
    assert latest["livraison"] is None


def test_next_stage_follows_the_pipeline_and_stops_after_sortie():
    assert pipeline.next_stage("pre_rentree") == "entree_physique"
    assert pipeline.next_stage("livraison") == "sortie"
    assert pipeline.next_stage("sortie") is None


def test_stage_labels_are_those_of_the_seed():
    assert [label for _, label in pipeline.STAGES] == [
        "PRÉ-RENTRÉE", "Entrée physique", "Destination prix", "Préparation", "Disponible à la vente",
        "Livraison", "SORTIE"]
    assert not pipeline.is_stage("vendu")


@pytest.mark.parametrize("amount, shown", [(Decimal("10241"), "10 241,00 €"), (Decimal("999.5"), "999,50 €"),
                                           (Decimal("1234567.891"), "1 234 567,89 €"), (None, "")])
def test_euros_formats_like_the_seed(amount, shown):
    assert euros(amount) == shown
