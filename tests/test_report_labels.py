"""bulletin.report.labels: the wording files (config/wording/<lang>/*.yaml), their
templates, and a configuration folder's own wording."""

from __future__ import annotations

import doctest

import pytest

from bulletin.config import load_config
from bulletin.contract import TIERS
from bulletin.errors import WordingError
from bulletin.report import labels
from bulletin.report.labels import Wording, label, packaged_wording, wording


def test_doctests():
    result = doctest.testmod(labels)
    assert result.attempted > 0 and result.failed == 0


def test_labels_cover_every_tier_and_light():
    for lang in labels.LANGS:
        for tier in TIERS:
            assert labels.tier_name(tier, lang)
            assert labels.tier_name(tier, lang, short=True)
        for light in ("green", "yellow", "red"):
            assert label(f"light.{light}", lang)
    assert labels.tier_name("provincial_key") == "省级百大项目"
    assert labels.tier_name("municipal_key") == "市级百大项目"
    assert labels.tier_name("industrial") == "500万元以上产业项目"


def test_the_editions_have_the_same_keys_and_fields():
    zh, en = packaged_wording("zh").texts, packaged_wording("en").texts
    assert set(zh) ^ set(en) == {"p.and"}  # English joins the last item with " and "
    for key in zh:
        a, b = labels.variables(zh[key]), labels.variables(en[key])
        if key.startswith("period."):  # month numbers in Chinese, month names in English
            assert a | b <= {"year", "month", "month_name", "month_abbr", "day", "span"}, key
        elif key.startswith("large.threshold_"):  # 亿元 / 万元 in Chinese, millions in English
            assert a | b <= {"yi", "wan", "million"}, key
        else:
            assert a == b, key


def test_english_wording_is_english():
    cjk = [k for k, v in packaged_wording("en").texts.items() if any("\u3400" <= ch <= "\u9fff" for ch in v)]
    assert cjk == []
    assert labels.place("宝清县", wording("en", load_config())) == "Baoqing County"  # regions.yaml's name
    assert labels.place("宝清县", "en") == "宝清县"  # a bare code: the packaged wording, no configuration
    assert labels.place("全市", "en") == "City total"
    assert labels.place("新区", "en") == "新区"  # unknown names as written
    assert labels.place("宝清县") == "宝清县"


def test_a_wording_is_its_language_code():
    w = packaged_wording("en")
    assert w == "en" and isinstance(w, str) and f"{w}" == "en" and {"en": 1}[w] == 1
    assert label("light.red", w) == "red"
    with pytest.raises(ValueError):
        Wording("fr")


def _user(tmp_path, text: str, lang: str = "zh", name: str = "mine.yaml"):
    folder = tmp_path / "wording" / lang
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return str(tmp_path)


def test_a_configuration_folder_replaces_single_texts(tmp_path):
    cfg = _user(
        tmp_path,
        "# 我们的写法\n"
        'lead.completion_over: "完成全年目标的{{ completion }}，提前超额完成（时序进度{{ progress }}）"\n',
    )
    mine = wording("zh", load_config(cfg))
    text = label("lead.completion_over", mine, completion="107.4%", progress="50.0%")
    assert text == "完成全年目标的107.4%，提前超额完成（时序进度50.0%）"
    assert label("light.red", mine) == "红灯"  # the other texts stay the packaged ones
    assert label("lead.completion_over", "zh", completion="1%", progress="2%").startswith("完成年度目标的1%")
    assert mine.where["lead.completion_over"] == (str(tmp_path / "wording" / "zh" / "mine.yaml"), 2)


def test_an_unknown_figure_names_the_file_the_line_and_the_key(tmp_path):
    cfg = _user(tmp_path, 'light.red: "红灯"\n\nlead.signed: "签约{{ projects }}项，共{{ amout }}亿元"\n')
    with pytest.raises(WordingError) as info:
        Wording("zh", cfg)
    message = str(info.value)
    assert "mine.yaml" in message and "第3行" in message and "lead.signed" in message
    assert "{{ amout }}" in message and "{{ amount }}" in message  # the unknown one and the known ones


def test_a_broken_template_and_an_unknown_key_are_errors(tmp_path):
    with pytest.raises(WordingError, match=r"第1行（lead.signed）：模板写法有误"):
        Wording("zh", _user(tmp_path / "a", 'lead.signed: "签约{{ projects 项"\n'))
    with pytest.raises(WordingError, match=r"第2行：没有“lead.signd”这一项"):
        Wording("zh", _user(tmp_path / "b", '# x\nlead.signd: "签约"\n'))
    with pytest.raises(WordingError, match="不是有效的 YAML"):
        Wording("zh", _user(tmp_path / "c", 'lead.signed: "签约\n  x: [\n'))


def test_a_figure_missing_at_render_time_is_named_too():
    w = packaged_wording("zh")
    with pytest.raises(WordingError, match=r"zh/overview.yaml 第\d+行（lead.signed）"):
        label("lead.signed", w, projects="3")  # the code forgot "amount"


def test_place_names_can_be_set_in_the_configuration(tmp_path):
    cfg = _user(tmp_path, '"宝清县": "Baoqing"\n', lang="en", name="places.yaml")
    assert labels.place("宝清县", wording("en", load_config(cfg))) == "Baoqing"
    assert labels.place("饶河县", wording("en", load_config(cfg))) == "Raohe County"
