"""bulletin.report.load: one processed month → the bulletin's data."""

from __future__ import annotations

import doctest
import json

import pytest

from bulletin.config import load_config, month_config
from bulletin.report import load as load_module
from bulletin.report.load import load
from report_demo import PERIOD, earlier_overrides, write_demo_processed

CFG = load_config()  # the packaged configuration (the tests' office folder is empty)


def test_doctests():
    result = doctest.testmod(load_module)
    assert result.attempted > 0 and result.failed == 0


def test_reads_the_indicators_the_records_and_the_manifest(tmp_path):
    base = write_demo_processed(tmp_path, history={"2020-05": earlier_overrides(), "2019-06": earlier_overrides()})
    data = load(PERIOD, base, CFG)
    assert data.city == "双鸭山市" and data.rows[0] == "全市" and len(data.regions) == 8
    assert data.value("全市", "signed_amount") == 1503300 and data.num("宝清县", "signed_projects") == 10.0
    assert data.value("全市", "no_such_indicator") is None and data.value("某地", "signed_amount") is None
    assert data.value("全市", "signed_amount", "2020-05") == sum(earlier_overrides()["signed_amount"])
    assert data.previous_period == "2020-05" and data.last_year_period == "2019-06"
    assert data.time_progress == 0.5 and data.run_time == "2020-07-03T09:15:42+08:00"
    assert len(data.signings) == 4 and len(data.quality) == 2 and data.notes == []


def test_missing_optional_files_are_noted_not_fatal(tmp_path):
    base = write_demo_processed(tmp_path, manifest=False)
    for name in ("signings.csv", "projects.csv"):
        (base / PERIOD / name).unlink()
    (base / PERIOD / "history.csv").write_text("not,a\nhistory", encoding="utf-8")
    data = load(PERIOD, base, CFG)
    assert data.signings is None and data.projects is None and data.manifest is None
    assert data.run_time == "" and data.history == {}
    assert "missing signings.csv" in data.notes and "missing projects.csv" in data.notes


def test_load_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        load(PERIOD, tmp_path, CFG)
    with pytest.raises(ValueError):
        load("2020-13", tmp_path, CFG)
    write_demo_processed(tmp_path, period="2020-05")
    (tmp_path / "2020-06").mkdir()
    (tmp_path / "2020-05" / "indicators.csv").rename(tmp_path / "2020-06" / "indicators.csv")
    with pytest.raises(ValueError, match="2020-05"):
        load(PERIOD, tmp_path, CFG)


def test_first_month_has_no_previous_period(tmp_path):
    data = load(
        "2020-01", write_demo_processed(tmp_path, period="2020-01", history={"2019-12": earlier_overrides()}), CFG
    )
    assert data.previous_period is None and data.period_end.isoformat() == "2020-01-31"


def test_light_margin_and_city_come_from_the_configuration(tmp_path):
    base = write_demo_processed(tmp_path / "processed")
    user = tmp_path / "config"
    user.mkdir()
    (user / "rules.yaml").write_text("lights:\n  yellow_margin: 0.05\n", encoding="utf-8")
    data = load(PERIOD, base, load_config(user))
    assert [b.below for b in data.definitions.bands] == [0, 5, None] and data.config_dir == str(user)
    assert [b.below for b in load(PERIOD, base, CFG).definitions.bands] == [0, 10, None]
    # the bulletin notebook's configuration: without an explicit folder, the run's recorded config_dir
    assert month_config(PERIOD, base).folder == CFG.folder  # the office folder (empty in the tests)
    manifest = base / PERIOD / "manifest.json"
    info = json.loads(manifest.read_text(encoding="utf-8"))
    info["parameters"]["config_dir"] = str(user)
    manifest.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    assert [b.below for b in load(PERIOD, base, month_config(PERIOD, base)).definitions.bands] == [0, 5, None]
    assert month_config(PERIOD, base, tmp_path / "other").folder == str(tmp_path / "other")
    assert load(PERIOD, base, CFG, city="某市").city == "某市"


def test_the_report_never_loads_configuration(tmp_path, monkeypatch):
    """The data carries the configuration it was loaded with: building the bulletin (both
    languages, a county's edition) reads it from there, never from a folder."""
    from bulletin import config
    from bulletin.report.build import document

    base = write_demo_processed(tmp_path / "processed")
    user = tmp_path / "config"
    user.mkdir()
    (user / "regions.yaml").write_text("city_en: Our City\n", encoding="utf-8")
    data = load(PERIOD, base, load_config(user))

    def refuse(*args, **kwargs):
        raise AssertionError("the report loaded configuration itself")

    monkeypatch.setattr(config, "load_config", refuse)
    monkeypatch.setattr(config, "_load", refuse)
    assert document(data, "en").title.startswith("Our City")
    assert document(data, "zh", "宝清").region == "宝清县" and document(data).config is data.config


def test_region_names_and_aliases(tmp_path):
    data = load(PERIOD, write_demo_processed(tmp_path), CFG)
    assert data.resolve_region("宝清") == "宝清县"  # an alias of the registry
    assert data.resolve_region(" 寶清縣 ") == "宝清县"  # traditional form
    assert data.resolve_region("") == "" and data.resolve_region(None) == ""
    with pytest.raises(ValueError, match="某新区"):
        data.resolve_region("某新区")
