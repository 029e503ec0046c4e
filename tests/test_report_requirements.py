"""bulletin.report.requirements: the closing 下一步工作要求 (the office's text from the
wording files) and the 表扬/约谈 sentences per light (document.yaml ``light_actions``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.report.document import Paragraph
from bulletin.report.labels import label
from report_demo import doc_for, write_demo_processed


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return write_demo_processed(tmp_path_factory.mktemp("processed"))


@pytest.fixture(scope="module")
def doc(base):
    """The Chinese edition with the packaged configuration (read-only, shared)."""
    return doc_for(base)


def _config(folder: Path, wording: str = "", document: str = "", lang: str = "zh") -> Path:
    if wording:
        (folder / "wording" / lang).mkdir(parents=True, exist_ok=True)
        (folder / "wording" / lang / "office.yaml").write_text(wording, encoding="utf-8")
    if document:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "document.yaml").write_text(document, encoding="utf-8")
    return folder


def _texts(section) -> list[str]:
    return [b.text for b in section.blocks if isinstance(b, Paragraph)]


def test_next_steps_is_the_packaged_text_after_the_problems(base, doc):
    keys = [s.key for s in doc.sections]
    assert keys.index("next_steps") == keys.index("problems") + 1 < keys.index("closing")
    sec = doc.section("next_steps")
    assert sec.heading == "六、下一步工作要求"
    default = [line.strip() for line in label("next.text").splitlines() if line.strip()]
    assert _texts(sec) == default and len(default) == 3 and default[0].startswith("（一）")
    assert doc_for(base, lang="en").section("next_steps").heading == "6. Next steps"


def test_next_steps_from_a_wording_edit(base, tmp_path):
    cfg = _config(
        tmp_path / "cfg",
        wording="next.text: |\n  （一）七月底前各县区完成签约项目回头看。\n\n  （二）市招商局每月通报一次。\n",
    )
    sec = doc_for(base, config_dir=cfg).section("next_steps")
    assert _texts(sec) == ["（一）七月底前各县区完成签约项目回头看。", "（二）市招商局每月通报一次。"]
    # the English edition keeps its own text: the edit was to the Chinese wording only
    assert _texts(doc_for(base, lang="en", config_dir=cfg).section("next_steps"))[0].startswith("(1)")


def test_an_empty_next_steps_text_leaves_the_section_out(base, tmp_path):
    cfg = _config(tmp_path / "cfg", wording='next.text: ""\n')
    doc = doc_for(base, config_dir=cfg)
    assert doc.section("next_steps") is None
    assert [s.key for s in doc.sections][4:6] == ["problems", "closing"]


def test_light_actions_are_off_by_default(doc):
    texts = " ".join(_texts(doc.section("signings")))
    assert "表扬" not in texts and "约谈" not in texts


def test_light_actions_name_the_counties_on_each_light(base, tmp_path):
    # the demo's lights at time progress 50%: completion = signed_amount / target
    # 尖山区 236500/150000 green, 岭东区 98600/250000 = 39.4% red, 四方台区 61200/150000 = 40.8% yellow,
    # 宝山区 112300/150000 green, 集贤县 green, 友谊县 83400/200000 = 41.7% yellow, 宝清县, 饶河县 green
    cfg = _config(tmp_path / "cfg", document="light_actions: true\n")
    sec = doc_for(base, config_dir=cfg).section("signings")
    actions = _texts(sec)[1]
    assert actions == (
        "对尖山区、宝山区、集贤县、宝清县、饶河县予以通报表扬；"
        "请四方台区、友谊县加快工作进度，确保按时序进度完成目标任务；"
        "对岭东区进行约谈提醒，请其查找原因、制定措施，限期扭转被动局面。"
    )
    en = _texts(doc_for(base, lang="en", config_dir=cfg).section("signings"))[1]
    assert en.startswith("A commendation goes to Jianshan District") and "; the heads of Lingdong District" in en
    # a county edition: the county's own light only
    county = _texts(doc_for(base, region="岭东区", config_dir=cfg).section("signings"))
    assert [t for t in county if "约谈" in t] == ["对岭东区进行约谈提醒，请其查找原因、制定措施，限期扭转被动局面。"]
    assert not any("表扬" in t for t in county)


def test_a_light_whose_wording_is_empty_has_no_sentence(base, tmp_path):
    cfg = _config(tmp_path / "cfg", wording='act.green: ""\nact.yellow: ""\n', document="light_actions: true\n")
    texts = _texts(doc_for(base, config_dir=cfg).section("signings"))
    assert texts[1] == "对岭东区进行约谈提醒，请其查找原因、制定措施，限期扭转被动局面。"
