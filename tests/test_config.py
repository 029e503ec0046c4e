"""bulletin.config: the packaged YAML defaults, extended by a user's config folder
(lists appended, mappings merged, scalars replaced) and the lookup tables built from
them."""

from __future__ import annotations

import pytest
import yaml

from bulletin.config import FILES, load_config
from bulletin.errors import ConfigError
from bulletin.text import norm_header


def _write(folder, name, data):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def test_packaged_defaults():
    cfg = load_config()
    assert set(cfg.raw) == set(FILES)
    assert set(cfg.ledgers) == {"signings", "activities", "projects", "targets"}
    assert cfg.city == "双鸭山市"
    assert cfg.region_names[:2] == ("尖山区", "岭东区") and len(cfg.region_names) == 8
    assert load_config() is load_config()  # cached


def test_lookup_tables():
    cfg = load_config()
    # aliases are keyed by their normalised form, names and short aliases alike
    assert cfg.region_lookup["宝清"] == cfg.region_lookup["宝清县"] == "宝清县"
    assert "全市" in cfg.city_keys and "双鸭山市" in cfg.city_keys
    assert cfg.header_map["signings"][norm_header("签约额")] == "amount"
    assert cfg.header_map["projects"][norm_header("年度计划投资")] == "planned_investment"
    assert cfg.header_map["signings"][norm_header("县（区）")] == "region"  # full-width brackets


def test_field_types_and_labels():
    cfg = load_config()
    assert cfg.field_type("amount") == "amount" and cfg.field_type("planned_investment") == "amount"
    assert cfg.field_type("leads") == "count" and cfg.field_type("signed_on") == "date"
    assert cfg.field_type("in_statistics") == "yesno" and cfg.field_type("project") == "text"
    assert cfg.field_label("signings", "amount") == "签约额"  # its first alias
    assert cfg.field_label("projects", "region") == "县区"
    assert cfg.ledger_label("signings") == "签约项目" and cfg.ledger_label("unknown") == "unknown"


def test_user_folder_extends_the_defaults(tmp_path):
    folder = _write(
        tmp_path / "cfg",
        "ledgers",
        {"ledgers": {"signings": {"label": "招商签约", "fields": {"amount": ["意向投资额"]}}}},
    )
    _write(folder, "regions", {"regions": [{"name": "新区", "aliases": ["新"]}]})
    _write(folder, "rules", {"lights": {"yellow_margin": 0.05}})
    cfg = load_config(str(folder))
    base = load_config()
    # a list is appended to (the defaults stay), a mapping merged, a scalar replaced
    assert cfg.ledgers["signings"]["fields"]["amount"] == [*base.ledgers["signings"]["fields"]["amount"], "意向投资额"]
    assert cfg.ledgers["signings"]["required"] == base.ledgers["signings"]["required"]
    assert cfg.ledger_label("signings") == "招商签约"
    assert cfg.header_map["signings"]["意向投资额"] == "amount"
    assert cfg.region_names[-1] == "新区" and cfg.region_lookup["新"] == "新区"
    assert cfg.rules["lights"]["yellow_margin"] == 0.05
    assert cfg.rules["amounts"] == base.rules["amounts"]
    assert cfg.digest != base.digest  # the cache keys of every per-configuration table


def test_a_user_list_adds_no_duplicates(tmp_path):
    base = load_config()
    folder = _write(tmp_path / "cfg", "rules", {"online": ["线上", "推介会"]})
    assert load_config(str(folder)).rules["online"] == [*base.rules["online"], "推介会"]


def test_empty_user_file_changes_nothing(tmp_path):
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "rules.yaml").write_text("", encoding="utf-8")
    assert load_config(str(tmp_path / "cfg")).digest == load_config().digest


def test_wording_changes_the_presentation_digest_only(tmp_path):
    """An office's edited sentence re-renders the bulletin; the records and the
    indicators keep their keys (the data digest is the same)."""
    base = load_config()
    folder = tmp_path / "cfg"
    (folder / "wording" / "zh").mkdir(parents=True)
    (folder / "wording" / "zh" / "overview.yaml").write_text('lead.no_data: "本期没有数据。"\n', encoding="utf-8")
    cfg = load_config(str(folder))
    assert cfg.digest == base.digest
    assert cfg.presentation != base.presentation
    (folder / "document.yaml").write_text("issuer: 某市统计局\n", encoding="utf-8")
    again = load_config(str(folder))
    assert again.digest == base.digest and again.presentation not in (base.presentation, cfg.presentation)


def test_broken_user_file_is_an_error(tmp_path):
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "rules.yaml").write_text("rows: [合计\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"rules\.yaml 第\d+行不是有效的 YAML"):
        load_config(str(tmp_path / "cfg"))
