"""The findings catalogue (bulletin.findings_catalogue) and the one Finding constructor
(issue 24 item 4): every code complete, every template renders with its fields and
nothing else, severities only as the catalogue allows, no Chinese message written at a
finding call, and the rows of quality.csv as they were."""

from __future__ import annotations

import ast
import doctest
import re

import pytest

from bulletin import findings_catalogue as C
from bulletin.config import load_config
from bulletin.contract import ERROR, FINDING_COLUMNS, INFO, SEVERITIES, WARNING
from bulletin.ledgers import findings as F
from bulletin.ledgers import normalise as N
from bulletin.ledgers.findings import Finding, field_finding
from bulletin.ledgers.status import parse_started
from bulletin.paths import PACKAGE_DIR
from bulletin.read.grid import Grid, OpenProblem

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_doctests():
    assert doctest.testmod(C).failed == 0
    assert doctest.testmod(F).failed == 0


@pytest.mark.parametrize("code", sorted(C.CATALOGUE))
def test_every_code_has_a_severity_a_chinese_template_and_an_english_title(code):
    entry = C.CATALOGUE[code]
    assert entry.severity in SEVERITIES
    assert entry.also in ("", *SEVERITIES) and entry.also != entry.severity
    assert re.fullmatch(r"[a-z_]+\.[a-z_]+", code)
    for template in (entry.template, *entry.variants.values()):
        assert CJK.search(template) or template == "{description}", template  # words for the county
    assert entry.title and not CJK.fullmatch(entry.title[:1]) and entry.title[0].islower()  # English


@pytest.mark.parametrize("code", sorted(C.CATALOGUE))
def test_every_template_renders_with_its_declared_fields(code):
    entry = C.CATALOGUE[code]
    for variant in ("", *entry.variants):
        template = entry.wording(variant)
        names = C.fields(template)
        params = {name: f"<{name}>" for name in names}
        text = C.message(code, params, variant)
        assert "{" not in text and "}" not in text
        for name in names:
            assert f"<{name}>" in text
        if names:  # a field left out is refused, never rendered as an empty string
            with pytest.raises(KeyError):
                C.message(code, dict(list(params.items())[1:]), variant)


@pytest.mark.parametrize(
    "template", ["{x.__class__}", "{x[0]}", "{0}", "{}", "{x!r}", "{x:>9}", "金额{value", "金额}{value}", "{{x}}"]
)
def test_a_template_with_anything_but_plain_fields_is_refused(template):
    with pytest.raises(C.TemplateError):
        C.fields(template)
    with pytest.raises(C.TemplateError):
        C.render(template, {"x": 1, "value": 2})


def test_a_county_value_is_substituted_once_as_text():
    hostile = "{label.__class__.__mro__}{0}"
    text = C.message("origin.unknown", {"value": hostile})
    assert text == "投资方所在地“{label.__class__.__mro__}{0}”无法判断省内外，按省内项目处理（不计入省外签约）"


def test_severity_defaults_from_the_catalogue_and_a_second_one_only_where_declared():
    assert Finding(code="file.empty").severity == ERROR
    assert Finding(code="column.missing", params={"named": "x", "empty": "y"}).severity == INFO
    assert Finding(code="amount.negative", severity=WARNING).severity == WARNING  # an optional field
    with pytest.raises(ValueError, match="file.empty is reported as error only"):
        Finding(code="file.empty", severity=WARNING)
    with pytest.raises(KeyError):
        Finding(code="no.such_code")
    with pytest.raises(KeyError):
        Finding(code="file.corrupt", variant="no_such_wording")
    declared = {code: e.severities() for code, e in C.CATALOGUE.items() if e.also}
    assert declared["amount.negative"] == (ERROR, WARNING) and declared["amount.text"] == (WARNING, ERROR)
    assert "file.empty" not in declared and "record.conflict" not in declared


def test_finding_is_frozen_and_keyword_only():
    with pytest.raises(TypeError):
        Finding("file.empty")  # positional: refused
    f = Finding(code="file.empty", where=("宝清县.xlsx", ""))
    with pytest.raises(AttributeError):
        f.code = "file.corrupt"


def test_row_is_the_quality_csv_row():
    grid = Grid("宝清县/签约.xlsx", "Sheet1", [])
    row = Finding(
        code="date.invalid",
        ledger="signings",
        region=None,
        where=grid,
        source_row=None,
        field="签约日期",
        value=1.4e6,
        params={"label": "签约日期", "value": N.show(1.4e6), "year": 2020},
    ).row()
    assert list(row) == FINDING_COLUMNS
    assert row == {
        "severity": "error",
        "ledger": "signings",
        "region": "",
        "source_file": "宝清县/签约.xlsx",
        "source_sheet": "Sheet1",
        "source_row": "",
        "field": "签约日期",
        "value": "1400000",
        "message": "签约日期“1400000”无法识别，请填写为2020-06-15格式",
        "code": "date.invalid",
    }
    long = "项" * 60
    assert Finding(code="file.empty", value=long).row()["value"] == "项" * 40 + "…"  # quoted, like a message
    assert Finding(code="file.empty", value=long, quote=False).row()["value"] == long  # a name as given


def test_a_fields_problem_names_the_column_and_says_what_happened_to_the_row():
    at = {"ledger": "signings", "region": "宝清县", "grid": Grid("宝清县.xlsx", "Sheet1", []), "row": 4}
    _, problem = N.parse_amount(-5, 1.0, load_config())
    required, fatal = field_finding(problem, required=True, **at, label="签约额", raw=-5)
    assert fatal and required["severity"] == ERROR
    assert required["message"] == "签约额“-5”为负数，请核实；该行未计入统计"
    optional, fatal = field_finding(problem, required=False, **at, label="到位资金", raw=-5)
    assert not fatal and optional["severity"] == WARNING
    assert optional["message"] == "到位资金“-5”为负数，请核实；该项按空值处理"
    _, problem = N.parse_yesno("也许", load_config())
    found, fatal = field_finding(problem, required=False, **at, label="是否线上", raw="也许")
    assert not fatal and found["message"] == "是否线上：“也许”应填写“是”或“否”，按未知处理"  # the column named first
    _, problem = parse_started(None, load_config())
    found, _ = field_finding(problem, required=False, **at, label="开复工情况", raw=None)
    assert found["message"] == "开复工情况未填写，按未开复工统计"  # already names it


def test_an_open_problem_takes_its_words_from_the_catalogue():
    p = OpenProblem("a.xlsx", "", "file.corrupt", variant="zip")
    assert p.severity == ERROR
    assert p.message == "文件已损坏（不完整或不是有效的压缩包），无法打开，请重新保存后报送"
    p = OpenProblem("a.csv", "a", "text.control_chars", {"n": 3}, "more")
    assert (p.severity, p.message) == (WARNING, "另有 3 个单元格含不可见的控制字符，均已删除")


# ----------------------------------------------------------------- no words at a call
CONSTRUCTORS = {"Finding", "Problem", "OpenProblem", "_problem", "file_finding", "_finding"}


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def chinese_at_finding_calls(tree: ast.AST) -> list[int]:
    """Lines of calls to a finding constructor that pass Chinese words in an f-string
    (the ``field`` column aside: a column's name, ``F列``), or any ``message=``: a
    message's words belong in the catalogue."""
    out = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _name(node.func) in CONSTRUCTORS):
            continue
        arguments = [*node.args, *(k.value for k in node.keywords if k.arg != "field")]
        if any(k.arg == "message" for k in node.keywords):
            out.append(node.lineno)
        elif any(
            isinstance(sub, ast.JoinedStr) and CJK.search(ast.unparse(sub)) for a in arguments for sub in ast.walk(a)
        ):
            out.append(node.lineno)
    return out


def test_the_chinese_check_finds_one():
    tree = ast.parse(
        'Finding(code="x", params={"v": f"金额{v}"})\nOpenProblem(a, b, message="文件")\nFinding(code="y")'
    )
    assert chinese_at_finding_calls(tree) == [1, 2]


def test_no_chinese_message_is_written_at_a_finding_call():
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        rel = path.relative_to(PACKAGE_DIR).as_posix()
        lines = chinese_at_finding_calls(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            found[rel] = lines
    assert found == {}
