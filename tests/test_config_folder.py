"""The configuration: packaged defaults extended by one folder — the office's config
folder (``$BULLETIN_CONFIG_DIR`` or ``config/`` at the repo root), read on every run
without ``--config-dir``, or ``--config-dir`` instead of it. Adding a county (name,
aliases, English name, its chains and places) is configuration only."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from bulletin import paths
from bulletin.config import config_folder, init_folder, load_config
from bulletin.errors import WordingError
from bulletin.report import labels
from conftest import SIGN_HEADER, SKIP_PDF, pipeline, sign_row, write_xlsx

PERIOD = "2020-06"
ZONE = "双鸭山经济技术开发区"
# The worked example of docs/操作手册.md: a new county, its chain and its place names.
ZONE_CONFIG = {
    "regions.yaml": f"""regions:
  - name: {ZONE}
    aliases: [经开区, 双鸭山经开区]
    en: Shuangyashan Economic and Technological Development Zone
""",
    "chains.yaml": """chains:
  - name: 新能源
    aliases: [光伏, 风电, 储能]
""",
    "places.yaml": """home_cities: [经开区]
""",
}


@pytest.fixture
def office(tmp_path, monkeypatch):
    """An office config folder named by BULLETIN_CONFIG_DIR (for this test and the
    pipeline.py it starts), holding the worked example."""
    folder = tmp_path / "office"
    folder.mkdir()
    for name, text in ZONE_CONFIG.items():
        (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv(paths.CONFIG_ENV, str(folder))
    return folder


def test_the_office_folder_is_read_without_config_dir(office):
    assert config_folder() == office and paths.office_config_dir() == office
    cfg = load_config()
    assert cfg.folder == str(office)
    assert cfg.region_names[-1] == ZONE and len(cfg.region_names) == 9
    assert cfg.region_lookup["经开区"] == ZONE
    assert cfg.english[ZONE] == "Shuangyashan Economic and Technological Development Zone"
    assert "新能源" in [c["name"] for c in cfg.raw["chains"]["chains"]]
    assert "经开区" in cfg.raw["places"]["home_cities"]


def test_config_dir_replaces_the_office_folder(office, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "regions.yaml").write_text("regions:\n  - name: 别的区\n", encoding="utf-8")
    cfg = load_config(other)
    assert ZONE not in cfg.region_names and "别的区" in cfg.region_names


def test_without_an_office_folder_the_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.CONFIG_ENV, "")
    monkeypatch.setattr(paths, "OFFICE_CONFIG_DIR", tmp_path / "none")
    assert config_folder() is None
    assert load_config().region_names == load_config(tmp_path).region_names  # tmp_path holds no YAML
    assert len(load_config().region_names) == 8


def test_an_edit_of_the_office_folder_is_seen_at_once(office):
    assert "新区甲" not in load_config().region_names
    with open(office / "regions.yaml", "a", encoding="utf-8") as fh:
        fh.write("  - name: 新区甲\n")
    assert "新区甲" in load_config().region_names  # the cache is keyed by the files' stamps


def test_an_entry_named_like_a_default_is_merged_into_it(tmp_path):
    (tmp_path / "regions.yaml").write_text("regions:\n  - name: 宝清县\n    aliases: [宝清经开区]\n", encoding="utf-8")
    cfg = load_config(tmp_path)
    assert cfg.region_names.count("宝清县") == 1 and len(cfg.region_names) == 8
    assert cfg.region_lookup["宝清经开区"] == "宝清县" and cfg.region_lookup["宝清"] == "宝清县"
    assert cfg.english["宝清县"] == "Baoqing County"


def test_english_place_names_come_from_the_configuration(office, tmp_path):
    w = labels.wording("en", load_config(office))  # the office folder's wording and names
    assert labels.place(ZONE, w) == "Shuangyashan Economic and Technological Development Zone"
    assert labels.place("宝清县", w) == "Baoqing County" and labels.place("双鸭山市", w) == "Shuangyashan"
    assert labels.place("全市", w) == "City total"  # wording, not configuration
    other = tmp_path / "other"
    other.mkdir()
    (other / "regions.yaml").write_text("regions:\n  - name: 宝清县\n    en: Baoqing\n", encoding="utf-8")
    w = labels.wording("en", load_config(other))  # a bulletin rendered with another configuration
    assert labels.place("宝清县", w) == "Baoqing" and labels.place(ZONE, w) == ZONE


def _packaged_files() -> list[str]:
    """Every file config init copies: the YAML files and the wording of both editions."""
    files = [*paths.CONFIG_DIR.glob("*.yaml"), *(paths.CONFIG_DIR / "wording").glob("*/*.yaml")]
    return sorted(p.relative_to(paths.CONFIG_DIR).as_posix() for p in files)


def test_config_init_copies_the_defaults_with_comments(tmp_path):
    folder = tmp_path / "config"
    written, kept = init_folder(folder)
    assert sorted(p.relative_to(folder).as_posix() for p in written) == _packaged_files() and kept == []
    assert {"document.yaml", "wording/zh/overview.yaml", "wording/en/overview.yaml"} <= set(_packaged_files())
    text = (folder / "regions.yaml").read_text(encoding="utf-8")
    assert text.startswith("# ---") and "合并规则" in text and "name: 宝清县" in text and "en: Baoqing County" in text
    assert "发文机关署名" in (folder / "document.yaml").read_text(encoding="utf-8")
    assert load_config(folder).raw == load_config(tmp_path / "empty").raw  # the same configuration
    assert load_config(folder).region_names == load_config(tmp_path / "empty").region_names
    for lang in labels.LANGS:  # the copied wording is commented out: the packaged one is in effect
        copied, packaged = labels.Wording(lang, str(folder)), labels.Wording(lang)
        assert copied.texts == packaged.texts and copied.places == packaged.places
        assert copied.where["lead.prefix"][0] != str(folder / "wording" / lang / "overview.yaml")
        lines = (folder / "wording" / lang / "overview.yaml").read_text(encoding="utf-8").splitlines()
        assert all(not x.strip() or x.startswith("#") for x in lines)
        assert any(x.startswith("# lead.prefix: ") for x in lines)
    (folder / "rules.yaml").write_text("lights:\n  yellow_margin: 0.05\n", encoding="utf-8")
    written, kept = init_folder(folder)
    assert written == [] and len(kept) == len(_packaged_files())  # nothing overwritten
    assert load_config(folder).rules["lights"]["yellow_margin"] == 0.05


def test_the_wording_copied_by_config_init_is_the_bulletins_once_edited(tmp_path, monkeypatch):
    """An office edits a sentence in its copy (the folder named by BULLETIN_CONFIG_DIR):
    the wording a run resolves (the office folder, as report.load does) says it; the
    other sentences stay the packaged ones; a slip names the file and the line."""
    folder = tmp_path / "office"
    init_folder(folder)
    monkeypatch.setenv(paths.CONFIG_ENV, str(folder))
    overview = folder / "wording" / "zh" / "overview.yaml"
    old = '# lead.completion_over: "完成年度目标的{{ completion }}，超额完成年度目标（时序进度{{ progress }}）"'
    text = overview.read_text(encoding="utf-8")
    assert old in text  # copied commented out; the office uncomments the line it rewords
    overview.write_text(text.replace(old, 'lead.completion_over: "已完成全年目标的{{ completion }}"'), encoding="utf-8")
    in_effect = load_config()  # what a run without --config-dir reads
    assert in_effect.folder == str(folder)
    w = labels.wording("zh", in_effect)
    assert w.text("lead.completion_over", completion="112.3%", progress="50.0%") == "已完成全年目标的112.3%"
    assert w.text("lead.prefix", span="1-6月") == labels.packaged_wording("zh").text("lead.prefix", span="1-6月")
    line = next(i for i, t in enumerate(overview.read_text(encoding="utf-8").splitlines(), 1) if "completion_over" in t)
    overview.write_text(
        overview.read_text(encoding="utf-8").replace("已完成全年目标的{{ completion }}", "完成{{ completed }}"),
        encoding="utf-8",
    )
    with pytest.raises(WordingError) as exc:
        labels.wording("zh", load_config())
    assert f"措辞文件 {overview} 第{line}行（lead.completion_over）：未知的数值 {{{{ completed }}}}" in str(exc.value)


def test_config_init_and_show_on_the_command_line(tmp_path):
    folder = tmp_path / "office"
    env = {paths.CONFIG_ENV: str(folder)}
    proc = pipeline("config", "init", env=env)
    assert "已写入" in proc.stdout and (folder / "regions.yaml").is_file()
    assert (folder / "document.yaml").is_file() and (folder / "wording" / "zh" / "overview.yaml").is_file()
    assert (folder / "wording" / "en" / "overview.yaml").is_file()
    with open(folder / "regions.yaml", "a", encoding="utf-8") as fh:
        fh.write(f"  - name: {ZONE}\n    aliases: [经开区]\n    en: ETDZ\n")
    proc = pipeline("config", "show", env=env)
    assert str(folder) in proc.stdout and f"{ZONE}  别名：经开区  英文：ETDZ" in proc.stdout
    again = pipeline("config", "init", env=env)
    assert "未覆盖" in again.stdout


def test_a_missing_office_folder_named_by_the_variable_is_a_usage_error(tmp_path):
    (tmp_path / "raw" / PERIOD).mkdir(parents=True)
    env = {paths.CONFIG_ENV: str(tmp_path / "missing")}
    proc = pipeline("check", "--period", PERIOD, "--raw-dir", tmp_path / "raw", check=False, env=env)
    assert proc.returncode == 2 and "BULLETIN_CONFIG_DIR" in proc.stderr and "找不到配置文件夹" in proc.stderr


def test_check_reads_a_new_county_with_config_only(office, tmp_path):
    """The worked example: the zone's ledger is read with its region (from the title,
    by alias), its chain, and an origin in the zone counted as in-province."""
    raw = tmp_path / "raw"
    header = [*SIGN_HEADER, "产业链"]
    write_xlsx(
        raw / PERIOD / "经开区签约台账.xlsx",
        [
            ["经开区2020年1-6月招商引资签约项目台账"],
            header,
            [*sign_row(1, origin="江苏省苏州市", amount=5000), "光伏"],
            [*sign_row(2, origin="经开区", amount=800), "储能"],
        ],
    )
    out = tmp_path / "out"
    proc = pipeline("check", "--period", PERIOD, "--raw-dir", raw, "--out-dir", out, env={})
    assert "错误 0 条，警告 0 条" in proc.stdout
    s = pd.read_csv(out / "data" / PERIOD / "signings.csv", dtype=str, keep_default_na=False)
    assert list(s["region"]) == [ZONE, ZONE]
    assert list(s["chain"]) == ["新能源", "新能源"]
    assert list(s["out_of_province"]) == ["True", "False"]
    assert (out / PERIOD / "quality" / f"{ZONE}_数据质量反馈_{PERIOD}.xlsx").is_file()


@pytest.mark.slow
def test_a_new_county_in_the_bulletin_with_config_only(office, tmp_path):
    """A whole run with the office folder (no --config-dir): the zone has its row in
    indicators.csv and its English name in the English edition."""
    raw = tmp_path / "raw"
    write_xlsx(
        raw / PERIOD / "经开区签约台账.xlsx",
        [["经开区2020年1-6月招商引资签约项目台账"], SIGN_HEADER, sign_row(1, origin="上海市", amount=5000)],
    )
    write_xlsx(raw / PERIOD / "目标任务.xlsx", [["县区", "签约额目标（万元）"], ["经开区", 10000], ["宝清县", 20000]])
    args = [
        "run",
        "--period",
        PERIOD,
        "--raw-dir",
        raw,
        "--processed-dir",
        tmp_path / "p",
        "--reports-dir",
        tmp_path / "r",
    ]
    pipeline(*args, "--lang", "en", env=SKIP_PDF)  # no assertion reads its PDF
    ind = pd.read_csv(tmp_path / "p" / PERIOD / "indicators.csv", dtype=str, keep_default_na=False)
    zone = ind[ind.region == ZONE].set_index("indicator")["value"]
    assert zone["signed_projects"] == "1" and float(zone["signed_amount"]) == 5000
    assert float(zone["signed_amount_completion"]) == 0.5
    html = (tmp_path / "r" / PERIOD / "bulletin.en.html").read_text(encoding="utf-8")
    assert "Shuangyashan Economic and Technological Development Zone" in html
    manifest = (tmp_path / "r" / PERIOD / "manifest.json").read_text(encoding="utf-8")
    assert str(office) in manifest  # the run records the folder it read


def test_the_tests_run_with_an_empty_office_folder():
    """conftest points BULLETIN_CONFIG_DIR at an empty folder: a developer's own
    config/ never changes what the tests see."""
    folder = os.environ[paths.CONFIG_ENV]
    assert os.path.isdir(folder) and not os.listdir(folder)
