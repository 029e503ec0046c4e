"""The definitions a city sets (SPEC §9): light bands, the in-statistics denominator,
the completion ranking, 亿元以上 — parsed from config, checked when it loads, and used
by the indicators."""

from __future__ import annotations

import datetime as dt
import doctest

import pandas as pd
import pytest
import yaml

from bulletin import definitions
from bulletin.config import load_config
from bulletin.contract import LINEAGE, RECORD_COLUMNS
from bulletin.definitions import Band, DefinitionError, describe_bands, parse_bands, rank
from bulletin.indicators.compute import compute
from bulletin.store import indicator_table
from conftest import pipeline

D = dt.date

FOUR = [
    {"light": "blue", "below": -10},
    {"light": "green", "below": 10},
    {"light": "yellow", "below": 30},
    {"light": "red"},
]


def user_config(folder, **files):
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return str(folder)


def frame(ledger, rows):
    cols = RECORD_COLUMNS[ledger] + LINEAGE
    return pd.DataFrame([{**dict.fromkeys(cols), **r} for r in rows], columns=cols)


def test_doctests():
    assert doctest.testmod(definitions).failed == 0


def test_default_bands_are_the_spec_lights():
    d = load_config().definitions
    assert d.bands == (Band("green", 0.0), Band("yellow", 10.0), Band("red", None))
    assert d.in_statistics == "started" and d.rank_ties == "competition" and d.large_signing == 10000
    assert d.area_keys == ("长三角", "珠三角", "京津冀", "港澳台", "东北地区", "境外", "其他地区")


@pytest.mark.parametrize(
    "bands",
    [
        [{"light": "green", "below": 0}],  # one band
        [{"light": "green", "below": 0}, {"light": "purple"}],  # unknown light
        [{"light": "green", "below": 0}, {"light": "red", "below": 10}],  # the last band has a limit
        [{"light": "green", "below": 10}, {"light": "yellow", "below": 10}, {"light": "red"}],  # not increasing
        [{"light": "green", "below": 0}, {"light": "green", "below": 5}, {"light": "red"}],  # a light twice
        [{"light": "green", "below": "十"}, {"light": "red"}],  # not a number
        [{"light": "green"}, {"light": "red"}],  # a band before the last without a limit
        "green",
    ],
)
def test_bad_bands_are_refused(bands):
    with pytest.raises(DefinitionError):
        parse_bands({"bands": bands})


def test_describe_bands_in_config_terms():
    assert describe_bands(parse_bands({"bands": FOUR})) == [
        {"light": "blue", "behind_more_than": None, "behind_at_most": -10.0},
        {"light": "green", "behind_more_than": -10.0, "behind_at_most": 10.0},
        {"light": "yellow", "behind_more_than": 10.0, "behind_at_most": 30.0},
        {"light": "red", "behind_more_than": 30.0, "behind_at_most": None},
    ]
    # the yellow margin of rules.yaml still sets the default bands
    assert describe_bands(parse_bands({"yellow_margin": 0.05}))[1]["behind_at_most"] == 5.0


def test_rank_ties():
    values = {"a": 0.5, "b": 0.3, "c": 0.3, "d": 0.1, "e": None}
    assert rank(values) == {"a": 1, "b": 2, "c": 2, "d": 4, "e": None}
    assert rank(values, "dense") == {"a": 1, "b": 2, "c": 2, "d": 3, "e": None}
    with pytest.raises(DefinitionError):
        rank(values, "olympic")


def test_user_config_sets_definitions(tmp_path):
    cfg = load_config(
        user_config(
            tmp_path / "cfg",
            rules={
                "lights": {"bands": FOUR},
                "in_statistics": {"denominator": "new_started", "new_started": ["新建"]},
                "ranking": {"ties": "dense"},
                "large_signing": 5000,
                "leader_tiers": ["provincial_key"],
            },
        )
    )
    d = cfg.definitions
    assert [b.light for b in d.bands] == ["blue", "green", "yellow", "red"]
    assert d.in_statistics == "new_started" and d.new_started_words == ("新开工", "新建")
    assert d.rank_ties == "dense" and d.large_signing == 5000 and d.leader_tiers == ("provincial_key",)


@pytest.mark.parametrize(
    "rules",
    [
        {"lights": {"bands": [{"light": "green"}]}},
        {"in_statistics": {"denominator": "all"}},
        {"ranking": {"ties": "olympic"}},
        {"large_signing": "一亿"},
        {"leader_tiers": ["key"]},
    ],
)
def test_bad_definitions_fail_when_the_config_loads(tmp_path, rules):
    with pytest.raises(DefinitionError):
        load_config(user_config(tmp_path / "cfg", rules=rules))


def test_bad_areas_fail_when_the_config_loads(tmp_path):
    with pytest.raises(DefinitionError, match="火星"):
        load_config(user_config(tmp_path / "a", places={"areas": {"远方": ["火星"]}}))
    with pytest.raises(DefinitionError, match="广东"):
        load_config(user_config(tmp_path / "b", places={"areas": {"华南": ["广东"]}}))  # also in 珠三角


def test_bad_definition_is_a_usage_error_before_anything_runs(tmp_path):
    cfg = user_config(
        tmp_path / "cfg", rules={"lights": {"bands": [{"light": "purple", "below": 0}, {"light": "red"}]}}
    )
    (tmp_path / "raw" / "2020-06").mkdir(parents=True)
    proc = pipeline(
        "run",
        "--period",
        "2020-06",
        "--raw-dir",
        tmp_path / "raw",
        "--processed-dir",
        tmp_path / "p",
        "--reports-dir",
        tmp_path / "r",
        "--config-dir",
        cfg,
        check=False,
    )
    assert proc.returncode == 2
    assert "purple" in proc.stderr + proc.stdout


def test_replace_true_replaces_a_packaged_file(tmp_path):
    regions = {
        "replace": True,
        "city": "乙市",
        "city_aliases": ["乙市"],
        "regions": [{"name": "东区"}, {"name": "西县"}],
    }
    cfg = load_config(user_config(tmp_path / "cfg", regions=regions))
    assert cfg.region_names == ("东区", "西县") and cfg.city == "乙市"
    assert "replace" not in cfg.raw["regions"]
    # without it, a user's list is appended to ours (adding a county)
    added = load_config(user_config(tmp_path / "add", regions={"regions": [{"name": "新区"}]}))
    assert added.region_names[-1] == "新区" and "宝清县" in added.region_names


# --------------------------------------------------------------------------- in compute
@pytest.fixture
def tables():
    """Four regions with targets; completions 0.6, 0.45, 0.45, 0.15 at time progress 0.5."""
    signings = frame(
        "signings",
        [
            dict(region=r, project=r, signed_on=D(2020, 3, 1), amount=a, out_of_province=True, online=False)
            for r, a in (("宝清县", 600.0), ("饶河县", 450.0), ("友谊县", 450.0), ("集贤县", 150.0))
        ],
    )
    projects = frame(
        "projects",
        [
            dict(
                region="宝清县",
                tier="provincial_key",
                planned_investment=1.0,
                started=True,
                status="新开工",
                in_statistics=True,
            ),
            dict(
                region="宝清县",
                tier="provincial_key",
                planned_investment=1.0,
                started=True,
                status="續建",
                in_statistics=True,
            ),
            dict(
                region="宝清县",
                tier="provincial_key",
                planned_investment=1.0,
                started=True,
                status="新开工",
                in_statistics=False,
            ),
            dict(region="宝清县", tier="provincial_key", planned_investment=1.0, started=False, status="未新开工"),
        ],
    )
    targets = frame(
        "targets", [dict(region=r, signed_amount_target=1000.0) for r in ("宝清县", "饶河县", "友谊县", "集贤县")]
    )
    return dict(signings=signings, activities=frame("activities", []), projects=projects, targets=targets)


def test_default_lights_ranks_and_in_statistics(tables):
    w = indicator_table(compute(tables, "2020-06", load_config()))
    assert list(w.loc[["宝清县", "饶河县", "友谊县", "集贤县"], "signed_light"]) == ["green", "yellow", "yellow", "red"]
    assert list(w.loc[["宝清县", "饶河县", "友谊县", "集贤县"], "signed_completion_rank"]) == [1, 2, 2, 4]
    assert w.loc["宝清县", "provincial_key_in_statistics"] == 2  # of the 3 started
    assert w.loc["宝清县", "provincial_key_in_statistics_rate"] == pytest.approx(2 / 3)
    assert "provincial_key_new_started" not in w.columns  # the default output is unchanged


def test_a_city_with_its_own_bands_ranking_and_denominator(tables, tmp_path):
    cfg = load_config(
        user_config(
            tmp_path / "cfg",
            rules={
                "lights": {"bands": FOUR},
                "in_statistics": {"denominator": "new_started"},
                "ranking": {"ties": "dense"},
            },
        )
    )
    w = indicator_table(compute(tables, "2020-06", cfg))
    # 0.6 ≥ 0.5+0.10 blue; 0.45 within 10 points green; 0.15 is 35 points behind: red
    assert list(w.loc[["宝清县", "饶河县", "友谊县", "集贤县"], "signed_light"]) == ["blue", "green", "green", "red"]
    assert list(w.loc[["宝清县", "饶河县", "友谊县", "集贤县"], "signed_completion_rank"]) == [1, 2, 2, 3]
    # new starts: the two started 新开工 ones (未新开工 is not started); one in statistics
    assert w.loc["宝清县", "provincial_key_new_started"] == 2
    assert w.loc["宝清县", "provincial_key_in_statistics"] == 1
    assert w.loc["宝清县", "provincial_key_in_statistics_rate"] == pytest.approx(0.5)
    assert pd.isna(w.loc["宝清县", "municipal_key_in_statistics_rate"])  # no new start: empty, never 0


def test_a_completion_exactly_on_a_band_edge(tables, tmp_path):
    cfg = load_config(user_config(tmp_path / "cfg", rules={"lights": {"bands": FOUR}}))
    tables["signings"].loc[3, "amount"] = 200.0  # 0.2 = 30 points behind 0.5: still yellow
    assert indicator_table(compute(tables, "2020-06", cfg)).loc["集贤县", "signed_light"] == "yellow"
