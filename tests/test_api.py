"""bulletin.load / bulletin.history: the processed months as typed DataFrames, and the
ad hoc notebook template that uses them."""

from __future__ import annotations

import doctest
import json

import nbformat
import pandas as pd
import pytest

import bulletin
import report_demo as demo
from bulletin import api, paths


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    """Two processed months (2020-05 and 2020-06), 2020-06 with a history.csv that
    also holds an unprocessed snapshot (2020-04)."""
    base = tmp_path_factory.mktemp("processed")
    demo.write_demo_processed(base, period="2020-05")
    demo.write_demo_processed(
        base, period="2020-06", history={"2020-04": demo.earlier_overrides(), "2020-05": demo.earlier_overrides()}
    )
    (base / "notes").mkdir()  # not a month: ignored
    (base / "2020-07").mkdir()  # no indicators.csv yet: ignored
    return base


def test_doctests():
    assert doctest.testmod(api).failed == 0


def test_load_is_exported_lazily():
    assert bulletin.load is api.load and bulletin.history is api.history
    with pytest.raises(AttributeError):
        bulletin.nothing_here  # noqa: B018


def test_load_gives_typed_tables(processed):
    b = bulletin.load("2020-06", processed)
    assert b.period == "2020-06" and b.folder == processed / "2020-06"
    s = b.signings
    assert str(s["signed_on"].dtype).startswith("datetime64")
    assert str(s["online"].dtype) == "boolean" and str(s["out_of_province"].dtype) == "boolean"
    assert s["amount"].dtype == float and str(s["source_row"].dtype) == "Int64"
    assert s.loc[0, "project"] == demo.HOSTILE  # text exactly as the ledger had it
    assert str(b.projects["started"].dtype) == "boolean"
    assert str(b.accounting["rows_read"].dtype) == "Int64"
    assert len(b.quality) == 2 and b.manifest["code_version"] == "0.1.0+g1a2b3c4"
    assert b.activities.empty  # no activities.csv in the demo folder: an empty frame
    assert "signings=4" in repr(b)


def test_indicators_long_and_wide(processed):
    b = bulletin.load("2020-06", processed)
    assert b.city("signed_amount") == pytest.approx(1503300)
    assert b.value("岭东区", "signed_light") == "red"
    assert b.wide.loc["全市", "activities"] == 70
    light = b.indicators.query("region == '岭东区' and indicator == 'signed_light'")
    assert light["text"].item() == "red" and pd.isna(light["value"].item())
    assert b.start == pd.Timestamp("2020-01-01") and b.end == pd.Timestamp("2020-06-30")


def test_history_across_processed_months_and_snapshots(processed):
    b = bulletin.load("2020-06", processed)
    h = b.history
    assert sorted(h["period"].unique()) == ["2020-04", "2020-05", "2020-06"]
    sources = h.groupby("period")["source"].first().to_dict()
    assert sources == {"2020-04": "snapshot", "2020-05": "processed", "2020-06": "processed"}
    series = b.series("signed_amount")
    assert list(series.index) == ["2020-04", "2020-05", "2020-06"]
    assert series["2020-06"] == pytest.approx(1503300)
    assert series["2020-04"] == pytest.approx(sum(demo.earlier_overrides()["signed_amount"]))
    assert api.periods(processed) == ["2020-05", "2020-06"]
    assert bulletin.history(processed).equals(h)


def test_default_period_is_the_latest(processed):
    assert bulletin.load(processed_dir=processed).period == "2020-06"


def test_load_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        bulletin.load(processed_dir=tmp_path)
    with pytest.raises(FileNotFoundError, match="pipeline.py run"):
        bulletin.load("2020-06", tmp_path)
    with pytest.raises(ValueError):
        bulletin.load("2020-6", tmp_path)
    assert bulletin.history(tmp_path / "missing").empty


def test_adhoc_notebook_template_runs(processed, tmp_path, monkeypatch):
    """The template's code cells, run in order with the parameters pointing at the
    test folder (in-process: no kernel)."""
    nb = nbformat.read(paths.NOTEBOOKS_DIR / "adhoc.ipynb", as_version=4)
    nbformat.validate(nb)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    params = nb.cells[1]
    assert "parameters" in params.metadata.get("tags", [])
    monkeypatch.chdir(tmp_path)
    ns: dict = {}
    exec(params.source, ns)  # noqa: S102 - our own notebook
    ns["processed_dir"] = str(processed)
    for cell in nb.cells[2:]:
        if cell.cell_type == "code":
            exec(compile(cell.source, "adhoc", "exec"), ns)  # noqa: S102
    assert ns["b"].period == "2020-06"
    assert ns["by_chain"].sum() == pytest.approx(round(152000 / 1e4, 2) + round(51000 / 1e4, 2))
    assert list(tmp_path.iterdir()) == []  # the template writes nothing unless asked


def test_readme_example_runs(processed):
    """The README's ad hoc example, pointed at the test folder."""
    text = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    code = text.split("## The bulletin in English, and ad hoc questions", 1)[1]
    code = code.split("```python", 1)[1].split("```", 1)[0]
    code = code.replace('bulletin.load("2020-06")', f'bulletin.load("2020-06", {str(processed)!r})')
    ns: dict = {}
    exec(code, ns)  # noqa: S102
    assert ns["b"].period == "2020-06"
    assert json.loads(json.dumps(list(ns["counted"]["project"])))  # two counted signings
