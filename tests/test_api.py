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
from bulletin.config import load_config
from bulletin.indicators.compute_breakdowns import breakdowns
from bulletin.store import read_indicators, read_table


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
    folder = base / "2020-06"  # breakdowns.csv for 2020-06 only (2020-05: a month processed before it existed)
    tables = {t: read_table(folder / f"{t}.csv") for t in ("signings", "projects")}
    long = breakdowns(tables, "2020-06", load_config(), indicators=read_indicators(folder / "indicators.csv"))
    long.to_csv(folder / "breakdowns.csv", index=False)
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
    assert ns["b"].breakdown("origin_area", "全市").set_index("key")["signed_amount"].to_dict() == {
        "长三角": 51000,
        "珠三角": 152000,
        "京津冀": 0,
        "港澳台": 0,
        "东北地区": 0,
        "境外": 0,
        "其他地区": 0,
    }
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


# --------------------------------------------------------------------------- SPEC §9 in the API
@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    """Two months through the real stages (clean, indicators, breakdowns): 宝清县's
    projects with 已开工 / 已開工 / 已 开工, a signing in each month."""
    from bulletin import stages
    from conftest import PROJ_HEADER, write_xlsx

    base = tmp_path_factory.mktemp("staged")
    sign = ["序号", "项目名称", "投资方所在地", "产业链", "签约日期", "签约额（万元）", "到位资金（万元）"]
    for period, rows in (
        ("2020-05", [[1, "甲", "上海", "旅游", "2020-05-03", 20000, 500]]),
        (
            "2020-06",
            [[1, "甲", "上海", "旅游", "2020-05-03", 20000, 800], [2, "乙", "日本", "石墨", "2020-06-03", 300, None]],
        ),
    ):
        write_xlsx(
            base / "raw" / period / "宝清县.xlsx",
            [["宝清县签约项目台账"], sign, *rows],
            [
                ["宝清县重点项目推进情况表"],
                [*PROJ_HEADER, "包保领导", "存在问题"],
                [1, "P1", "省百大", 100, 50, 10, "已开工", "是", "张三", "土地手续未办结"],
                [2, "P2", "省百大", 100, 50, 10, "已開工", "是", "張三", "土地手續未辦結"],
                [3, "P3", "市百大", 100, 50, 10, "已 开工", "否", "李四", None],
                [4, "P4", "市百大", 100, 50, 0, "未开工", "否", "李四", "资金未到位"],
            ],
        )
        cfg = stages.stage_config()
        stages.clean_stage(
            period, cfg, raw_dir=base / "raw", processed_dir=base / "processed", reports_dir=base / "reports"
        )
        stages.indicators_stage(period, cfg, processed_dir=base / "processed")
    return base / "processed"


def test_breakdown_as_a_tidy_frame(staged):
    b = bulletin.load("2020-06", staged)
    chain = b.breakdown("chain")
    assert list(chain.columns) == ["region", "key", "signed_projects", "signed_amount"]
    city = chain[chain.region == "全市"].set_index("key")
    assert city.loc["生态旅游", "signed_amount"] == 20000 and city.loc["石墨及新材料", "signed_projects"] == 1
    assert city.loc["特色种植", "signed_projects"] == 0
    area = b.breakdown("origin_area", "宝清县").set_index("key")["signed_amount"]
    assert area["长三角"] == 20000 and area["境外"] == 300
    leader = b.breakdown("leader", "宝清县").set_index("key")
    assert leader.loc["张三", "projects"] == 2 and leader.loc["李四", "start_rate"] == 0.5
    assert set(b.breakdowns.columns) == {"period", "region", "dimension", "key", "indicator", "value"}
    with pytest.raises(KeyError):
        b.breakdown("industry")
    assert b.city("funds_in_place") == 800 and b.city("large_signed_projects") == 1


def test_breakdown_of_an_older_month_without_the_file(processed):
    b = bulletin.load("2020-05", processed)
    assert b.breakdowns.empty
    with pytest.raises(FileNotFoundError, match="pipeline.py run"):
        b.breakdown("chain")


def test_labels_name_every_indicator(staged):
    b = bulletin.load("2020-06", staged)
    assert b.labels["signed_amount"] == "省外签约额（万元）"
    assert b.labels["municipal_key_start_rate"] == "市级百大项目开复工率"
    assert set(b.wide.columns) <= set(b.labels)
    assert "省外签约额（万元）" in b.wide.rename(columns=b.labels).columns


def test_history_wide_month_by_month(staged):
    h = bulletin.history(staged, wide=True)
    assert list(h.columns) == ["2020-05", "2020-06"] and h.index.names == ["region", "indicator"]
    assert h.loc[("全市", "signed_amount")].tolist() == [20000, 20300]
    assert h.loc[("宝清县", "funds_in_place")].tolist() == [500, 800]
    assert ("全市", "signed_light") not in h.index  # words stay in the long table
    assert h.index[0] == ("全市", "activities")
    b = bulletin.load("2020-06", staged)
    assert b.history_wide.equals(h)
    assert bulletin.history(staged).equals(b.history)  # the long table is unchanged


def test_simplified_text_columns(staged):
    p = bulletin.load("2020-06", staged).projects
    assert list(p["status"]) == ["已开工", "已開工", "已 开工", "未开工"]  # as written
    assert p["status_simplified"].value_counts().to_dict() == {"已开工": 3, "未开工": 1}
    assert p["problems_simplified"].value_counts()["土地手续未办结"] == 2
    assert p["lead_simplified"].tolist() == ["张三", "张三", "李四", "李四"]
    cols = list(p.columns)
    assert cols.index("status_simplified") == cols.index("status") + 1
    for name, columns in api.SIMPLIFIED.items():
        assert set(columns) <= set(getattr(bulletin.load("2020-06", staged), name).columns)
