"""An indicator's ledger is declared in the catalogue (``indicators/catalog.py``
``INDICATORS``), never guessed from its name (issue 24 item 4): a region that did not
submit that ledger has the indicator empty (SPEC §7), so an indicator of no declared
ledger would be published for it silently."""

from __future__ import annotations

import pytest

from bulletin import sample
from bulletin.config import load_config
from bulletin.contract import SUBMITTED_LEDGERS, TARGET_FIELDS, TIERS
from bulletin.indicators.catalog import INDICATORS, indicator_ledger
from bulletin.indicators.compute import compute
from conftest import read

PERIOD = "2020-06"


def _by_name(indicator: str) -> str | None:
    """The ledger as ``compute.indicator_ledger`` told it by the id's spelling before it
    was declared (main e423793), kept here to show the two agree."""
    if indicator in (*TARGET_FIELDS, "time_progress") or indicator.endswith("_submitted"):
        return None
    if indicator in ("activities", "leads", "online_activities", "online_leads"):
        return "activities"
    if indicator.startswith(TIERS):
        return "projects"
    if "signed" in indicator or indicator.startswith("funds_in_place"):
        return "signings"
    return None


@pytest.fixture(scope="module")
def computed(tmp_path_factory) -> set[str]:
    raw = tmp_path_factory.mktemp("raw")
    sample.write_sample(raw)
    cfg = load_config()
    return set(compute(read(raw / PERIOD, PERIOD, cfg).tables, PERIOD, cfg)["indicator"])


def test_every_indicator_declares_its_ledger_or_why_it_has_none():
    for name, indicator in INDICATORS.items():
        if indicator.ledger is None:
            assert indicator.why_no_ledger.strip(), name
        else:
            assert indicator.ledger in SUBMITTED_LEDGERS and not indicator.why_no_ledger, name
    assert {i.ledger for i in INDICATORS.values()} == {*SUBMITTED_LEDGERS, None}


def test_every_indicator_computed_is_declared(computed):
    assert computed - set(INDICATORS) == set()
    assert len(computed) > 40


def test_the_declared_ledger_agrees_with_the_old_spelling_rule_for_every_indicator(computed):
    for name in set(INDICATORS) | computed:
        assert indicator_ledger(name) == _by_name(name), name


def test_an_undeclared_indicator_is_an_error_not_a_guess():
    with pytest.raises(KeyError):
        indicator_ledger("signed_something_new")
    assert _by_name("signed_something_new") == "signings"  # what the spelling rule would have guessed
