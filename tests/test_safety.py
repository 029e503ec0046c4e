"""Issue 21 / SPEC §14: the office's machine is safe from its inputs.

One test per attack of the issue, each built in ``tmp_path``: the attack is mounted,
then the test asserts that no marker file was created, that no victim path outside
the run's folders changed, and the exit code and the Chinese message of the run.
"""

from __future__ import annotations

import os
import re
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
import yaml

from bulletin import yamlfile
from bulletin.config import load_config
from bulletin.errors import ConfigError, UnsafePath, UsageError, WordingError
from bulletin.files import write_json
from bulletin.publish.reference import reference_file
from bulletin.report import labels, sandbox
from bulletin.runner import swap
from bulletin.runner.lock import period_lock
from bulletin.runner.params import normalise_period, validate_period
from bulletin.runner.province import find_cities, run_city
from conftest import PERIOD, SIGN_HEADER, SKIP_PDF, pipeline, sign_row, write_xlsx


def tree(root: Path) -> dict:
    """Every path under ``root`` with its bytes (links as their target); the period's
    lock files, which any run creates, left out."""
    out = {}
    for p in sorted(Path(root).rglob("*")):
        rel = p.relative_to(root).as_posix()
        if rel.endswith(".lock"):
            continue
        if p.is_symlink():
            out[rel] = ("link", os.readlink(p))
        elif p.is_file():
            out[rel] = p.read_bytes()
        else:
            out[rel] = "dir"
    return out


@pytest.fixture
def victim(tmp_path) -> Path:
    """A folder outside every folder a run is given, with a file in it."""
    v = tmp_path / "victim"
    (v / "sub").mkdir(parents=True)
    (v / "sub" / "precious.txt").write_text("do not touch\n", encoding="utf-8")
    return v


def ledger_folder(raw: Path, name: str = "宝清县签约台账.xlsx") -> Path:
    return write_xlsx(raw / PERIOD / name, [["宝清县签约项目台账"], SIGN_HEADER, sign_row(1, amount=5000)])


# --------------------------------------------------------------------------- 1. templates
def payloads(marker: Path, span: str = "span") -> list[str]:
    """The issue's payload list; ``span`` is the figure the text may name."""
    cmd = f"touch {marker}"
    texts = [
        "{{ span.__class__ }}",
        "{{ span.__class__.__mro__[1].__subclasses__() }}",
        "{% for c in span.__class__.__mro__[1].__subclasses__() %}"
        "{{ c.__init__.__globals__['system']('" + cmd + "') }}{% endfor %}",
        "{{ cycler.__init__.__globals__.os.system('" + cmd + "') }}",
        "{{ joiner.__init__.__globals__.os.system('" + cmd + "') }}",
        "{{ namespace.__init__.__globals__.os.popen('" + cmd + "').read() }}",
        "{{ lipsum.__globals__['os'].system('" + cmd + "') }}",
        "{{ range(10**9) }}",
        "{{ 10 ** 9 ** 9 }}",
        "{{ '{0.__class__}'.format(span) }}",
        "{{ '%s' % span }}",
        "{% for x in span %}{{ x }}{% endfor %}",
        "{% set x = span %}{{ x }}",
        "{{ self }}",
        "{{ self._TemplateReference__context }}",
        "{{ config }}",
        "{{ dict(a=1) }}",
        "{{ span|attr('__class__') }}",
        "{{ span['__class__'] }}",
        "{{ span ~ span }}",
        "{% include '/etc/passwd' %}",
        "{% macro m() %}x{% endmacro %}{{ m() }}",
        "{% if span.__class__ %}x{% endif %}",
    ]
    return [t.replace("span", span) for t in texts]


def wording_file(folder: Path, text: str) -> Path:
    """``lead.prefix: <text>`` on line 2 of a config folder's zh/overview.yaml."""
    path = folder / "wording" / "zh" / "overview.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# 本单位措辞\n" + yaml.safe_dump({"lead.prefix": text}, allow_unicode=True, width=10**6), "utf-8")
    return path


PAYLOADS = payloads(Path("MARKER"))


@pytest.mark.parametrize("index", range(len(PAYLOADS)), ids=[p[:40] for p in PAYLOADS])
def test_code_in_a_wording_file_is_refused_and_never_runs(tmp_path, index):
    """Each payload in a config folder's wording is refused when the wording loads (a
    WordingError naming the file, the line and the key); rendered straight in the
    sandbox (past the check) it runs nothing either; each in well under a second."""
    marker = tmp_path / "pwned"
    payload = payloads(marker)[index]
    path = wording_file(tmp_path / "cfg", payload)
    started = time.perf_counter()
    with pytest.raises(WordingError) as exc:
        labels.Wording("zh", str(tmp_path / "cfg"))
    message = str(exc.value)
    assert str(path) in message and "第2行" in message and "lead.prefix" in message
    assert "不允许的写法" in message or "未知的数值" in message
    try:  # the second fence: the sandbox itself, with no check before it
        sandbox.compile(payload).render(span="1-6月")
    except Exception:  # noqa: BLE001 - refused (undefined name, unsafe attribute, no such filter)
        pass
    assert time.perf_counter() - started < 1
    assert not marker.exists()


def test_template_text_that_looks_like_code_is_rendered_as_text(tmp_path):
    """``{% raw %}`` is text: it is allowed and shown as written, nothing evaluated."""
    folder = tmp_path / "cfg" / "wording" / "zh"
    folder.mkdir(parents=True)
    (folder / "overview.yaml").write_text(
        'lead.prefix: "全市{{ span }}{% raw %}{{ span.__class__ }}{% endraw %}"\n', "utf-8"
    )
    w = labels.Wording("zh", str(tmp_path / "cfg"))
    assert w.text("lead.prefix", span="1-6月") == "全市1-6月{{ span.__class__ }}"


def test_if_else_on_a_figure_is_allowed(tmp_path):
    folder = tmp_path / "cfg" / "wording" / "zh"
    folder.mkdir(parents=True)
    text = "\"{% if span == '1-6月' %}上半年{% elif not span %}无{% else %}全市{{ span }}{% endif %}\""
    (folder / "overview.yaml").write_text(f"lead.prefix: {text}\n", "utf-8")
    w = labels.Wording("zh", str(tmp_path / "cfg"))
    assert w.text("lead.prefix", span="1-6月") == "上半年"
    assert w.text("lead.prefix", span="1-5月") == "全市1-5月"


def test_the_packaged_wording_passes_the_sandbox_check():
    for lang in labels.LANGS:
        texts = labels.packaged_wording(lang).texts
        assert texts
        for key, text in texts.items():
            assert sandbox.problems(text, labels.variables(text)) == [], key


def test_the_sandbox_has_no_globals_and_no_filters():
    env = sandbox.environment()
    assert dict(env.globals) == {}
    assert set(env.filters) == set(sandbox.FILTERS) == set()


def test_code_in_the_document_title_is_refused(tmp_path):
    marker = tmp_path / "pwned"
    for payload in payloads(marker, "city"):
        started = time.perf_counter()
        with pytest.raises(Exception):  # noqa: B017 - ValueError (refused) or jinja2's errors
            labels.render_pattern(payload, city="某市", year=2020, period_name="上半年", period="2020年6月")
        assert time.perf_counter() - started < 1
    assert not marker.exists()
    assert labels.render_pattern("{{ city }}{{ year }}年通报", city="某市", year=2020) == "某市2020年通报"


def test_a_wording_file_with_code_stops_the_run_before_anything_is_written(tmp_path):
    """The issue's attack: a city's own config/wording/ ran `id` as root. Now the run
    stops when its parameters are checked: exit 3, the file named, nothing written."""
    marker = tmp_path / "pwned"
    raw = tmp_path / "raw"
    ledger_folder(raw)
    cfg = tmp_path / "cfg"
    attack = (
        "{% for c in span.__class__.__mro__[1].__subclasses__() %}"
        "{{ c.__init__.__globals__['system']('id > " + str(marker) + "') }}{% endfor %}"
    )
    wording_file(cfg, attack)
    proc = pipeline(
        "run", "--period", PERIOD, "--raw-dir", raw, "--processed-dir", tmp_path / "p",
        "--reports-dir", tmp_path / "r", "--config-dir", cfg, check=False,
    )  # fmt: skip
    assert proc.returncode == 3, proc.stderr
    assert "不允许的写法" in proc.stderr and "overview.yaml 第2行（lead.prefix）" in proc.stderr
    assert not marker.exists()
    assert not (tmp_path / "p").exists() and not (tmp_path / "r").exists()


# --------------------------------------------------------------------------- 2. paths
def make_folders(tmp_path: Path) -> tuple[Path, Path]:
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    for folder in (processed, reports):
        (folder / PERIOD).mkdir(parents=True)
        (folder / PERIOD / "keep.csv").write_text("a\n", encoding="utf-8")
    return processed, reports


def crafted_journals(processed: Path, reports: Path, victim: Path) -> dict:
    good_final = str(processed / PERIOD)
    good_staged = str(processed / f".staging-{PERIOD}-1-ab" / PERIOD)
    good_aside = str(processed / f".{PERIOD}.old-1-ab")
    return {
        "final outside": {"final": str(victim), "staged": good_staged, "aside": str(victim.parent / ".v.old-1-ab")},
        "staged outside": {"final": good_final, "staged": str(victim), "aside": good_aside},
        "aside outside": {"final": good_final, "staged": good_staged, "aside": str(victim)},
        "dot-dot": {"final": good_final, "staged": good_staged + "/../../../victim", "aside": good_aside},
        "relative": {"final": "victim", "staged": good_staged, "aside": good_aside},
    }


@pytest.mark.parametrize("case", ["final outside", "staged outside", "aside outside", "dot-dot", "relative"])
def test_a_crafted_commit_journal_deletes_nothing(tmp_path, victim, case):
    """The issue's attack: `P/.2020-06.commit.json` naming any folder made verify delete
    it and say 核验通过. Now verify refuses (exit 3), names the journal, touches nothing."""
    processed, reports = make_folders(tmp_path)
    entry = crafted_journals(processed, reports, victim)[case]
    journal = swap.journal_path(processed, PERIOD)
    write_json(journal, {"run": "1-ab", "moves": [{**entry, "new": [1, 2], "old": [3, 4]}]})
    before, ours = tree(victim), tree(tmp_path / "processed")
    proc = pipeline("verify", "--period", PERIOD, "--processed-dir", processed, "--reports-dir", reports, check=False)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert f"提交记录 {journal}" in proc.stderr and "没有删除或移动任何文件" in proc.stderr
    assert "核验通过" not in proc.stdout
    assert tree(victim) == before and tree(tmp_path / "processed") == ours


def test_a_journal_through_a_link_is_refused(tmp_path, victim):
    """A journal whose paths are the expected names, but one of them is a link to a
    folder outside: refused before anything is moved."""
    processed, reports = make_folders(tmp_path)
    staging = processed / f".staging-{PERIOD}-1-ab"
    staging.symlink_to(victim, target_is_directory=True)
    entry = {
        "final": str(processed / PERIOD),
        "staged": str(staging / PERIOD),
        "aside": str(processed / f".{PERIOD}.old-1-ab"),
    }
    journal = swap.journal_path(processed, PERIOD)
    write_json(journal, {"run": "1-ab", "moves": [{**entry, "new": None, "old": None}]})
    before = tree(victim)
    with pytest.raises(UnsafePath, match="是一个链接"):
        swap.recover(PERIOD, processed, reports)
    assert tree(victim) == before and journal.exists()


def test_linked_leftovers_are_never_followed(tmp_path, victim):
    """Links named like a killed run's staging or aside folders are left alone: the
    folder they point to is neither deleted nor moved into place."""
    processed, reports = make_folders(tmp_path)
    (processed / f".staging-{PERIOD}-9-ff").symlink_to(victim, target_is_directory=True)
    (reports / f".{PERIOD}.old-9-ff").symlink_to(victim, target_is_directory=True)
    (reports / PERIOD / "keep.csv").unlink()
    (reports / PERIOD).rmdir()  # the final folder is missing: an aside would be put back
    before = tree(victim)
    swap.recover(PERIOD, processed, reports)
    assert tree(victim) == before
    assert not (reports / PERIOD).exists()


def test_a_commit_never_moves_into_a_linked_folder(tmp_path, victim):
    """A folder inside the reports folder that is a link (reports/check-P → elsewhere):
    the commit refuses before its journal is written, nothing moved."""
    processed, reports = make_folders(tmp_path)
    (reports / f"check-{PERIOD}").symlink_to(victim, target_is_directory=True)
    staged = processed / f".staging-{PERIOD}-1-ab" / PERIOD
    staged.mkdir(parents=True)
    before = tree(victim)
    journal = swap.journal_path(processed, PERIOD)
    with pytest.raises(UnsafePath, match="经过链接"):
        swap.commit([(staged, reports / f"check-{PERIOD}" / "data" / PERIOD)], journal, "1-ab")
    assert tree(victim) == before and not journal.exists() and staged.is_dir()


def test_a_linked_lock_file_is_replaced_not_followed(tmp_path, victim):
    """The issue's attack: `P/.2020-06.lock` as a symlink made every run fail (exit 3,
    "Too many levels of symbolic links"). Now the link itself is removed, said, and the
    lock taken; the file it pointed to is unchanged."""
    processed, reports = make_folders(tmp_path)
    target = victim / "sub" / "precious.txt"
    (processed / f".{PERIOD}.lock").symlink_to(target)
    (reports / f".{PERIOD}.lock").symlink_to(tmp_path / "nowhere")
    said = []
    with period_lock(PERIOD, processed, reports, say=said.append):
        pass
    assert target.read_text(encoding="utf-8") == "do not touch\n"
    assert not (processed / f".{PERIOD}.lock").is_symlink() and not (reports / f".{PERIOD}.lock").is_symlink()
    assert len(said) == 2 and all("是一个链接" in s and "未改动它指向的文件" in s for s in said)
    (processed / f".{PERIOD}.lock").unlink(missing_ok=True)
    (processed / f".{PERIOD}.lock").symlink_to(target)
    proc = pipeline("verify", "--period", PERIOD, "--processed-dir", processed, "--reports-dir", reports, check=False)
    assert proc.returncode == 2, proc.stderr  # no bulletin there: the usage error, not a lock failure
    assert "Too many levels" not in proc.stderr and "找不到 2020-06 通报的来源记录" in proc.stderr
    assert target.read_text(encoding="utf-8") == "do not touch\n"


def test_a_lock_that_is_a_folder_is_refused(tmp_path):
    processed, reports = make_folders(tmp_path)
    (processed / f".{PERIOD}.lock").mkdir()
    with pytest.raises(UnsafePath, match="不是普通文件"), period_lock(PERIOD, processed, reports):
        pass


BAD_NAMES = ["../../../../tmp/x", "a/b", "a\\\\b", "..", "宝\\n清", "宝\\t清", "宝\\x1b清"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_region_name_with_a_path_is_refused_when_the_config_loads(tmp_path, name):
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "regions.yaml").write_text(f'regions:\n  - name: "{name}"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(str(cfg))
    assert str(cfg / "regions.yaml") in str(exc.value) and "不能用作文件夹名称" in str(exc.value)


def test_a_region_named_as_a_path_writes_nothing_outside(tmp_path):
    """The issue's attack: `../../../../tmp/x` made run --per-region write a county
    edition to /tmp/x/. Now the run stops when its configuration loads (exit 2)."""
    raw = tmp_path / "raw"
    ledger_folder(raw)
    outside = tmp_path / "outside"
    depth = len((tmp_path / "r" / PERIOD / "regions").parts) - 1
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    escape = "../" * depth + str(outside).lstrip("/")
    (cfg / "regions.yaml").write_text(f'regions:\n  - name: "{escape}"\n', encoding="utf-8")
    proc = pipeline(
        "run", "--period", PERIOD, "--raw-dir", raw, "--processed-dir", tmp_path / "p",
        "--reports-dir", tmp_path / "r", "--config-dir", cfg, "--per-region", check=False,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "regions.yaml 中的县区名称" in proc.stderr and "不能用作文件夹名称" in proc.stderr
    assert not outside.exists() and not (tmp_path / "p").exists()


def test_a_linked_city_folder_is_refused(tmp_path, victim):
    """The issue's attack: a province root with a symlinked city folder wrote into the
    link's target. Now that city is refused (its result says why), nothing written."""
    root = tmp_path / "province"
    elsewhere = tmp_path / "elsewhere"
    ledger_folder(elsewhere / "raw")
    root.mkdir()
    (root / "乙市").symlink_to(elsewhere, target_is_directory=True)
    ledger_folder(root / "甲市" / "raw")
    (root / "甲市" / "reports").symlink_to(victim, target_is_directory=True)
    assert [c.name for c in find_cities(root)] == ["乙市", "甲市"]
    before = tree(elsewhere), tree(victim)
    for city in find_cities(root):
        result = run_city(PERIOD, str(city), echo=False)
        assert result.code == 3 and "是一个链接" in result.message and "未运行该城市" in result.message
    assert (tree(elsewhere), tree(victim)) == before


@pytest.mark.slow
def test_province_runs_the_other_cities_when_one_is_a_link(tmp_path, victim):
    root = tmp_path / "province"
    ledger_folder(root / "甲市" / "raw")
    elsewhere = tmp_path / "elsewhere"
    ledger_folder(elsewhere / "raw")
    (root / "乙市").symlink_to(elsewhere, target_is_directory=True)
    before = tree(elsewhere)
    # no assertion reads a PDF (甲市's bulletin.html is the proof that it ran): none rendered
    proc = pipeline("province", "--period", PERIOD, "--root", root, "--workers", "1", check=False, env=SKIP_PDF)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "乙市" in proc.stdout and "出于安全考虑未运行该城市" in proc.stdout
    assert (root / "甲市" / "reports" / PERIOD / "bulletin.html").is_file()
    assert tree(elsewhere) == before


# --------------------------------------------------------------------------- 3. file names
GBK_NAME = os.fsdecode("宝清县签约台账（6月）.xlsx".encode("gbk"))
GBK_NOTE = os.fsdecode("说明.txt".encode("gbk"))


def gbk_raw(raw: Path) -> Path:
    """A month folder whose ledger's name is GBK bytes (a Windows zip unpacked)."""
    ledger = ledger_folder(raw, "ledger.xlsx")
    os.rename(ledger, ledger.with_name(GBK_NAME))
    (raw / PERIOD / GBK_NOTE).write_bytes(b"notes")
    return raw


def test_a_gbk_file_name_is_read_and_shown_readably(tmp_path):
    """check reads the GBK-named ledger and names it readably in every output."""
    raw = gbk_raw(tmp_path / "raw")
    out = tmp_path / "out"
    proc = pipeline("check", "--period", PERIOD, "--raw-dir", raw, "--out-dir", out, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    data = out / "data" / PERIOD
    assert "宝清县签约台账（6月）.xlsx" in (data / "signings.csv").read_text(encoding="utf-8")
    assert "说明.txt" in (data / "skipped.csv").read_text(encoding="utf-8")
    for f in data.glob("*.csv"):
        text = f.read_text(encoding="utf-8")
        assert "\\x" not in text and "\ufffd" not in text, f.name


def test_a_gbk_file_name_does_not_stop_the_run_s_hashes(tmp_path):
    """The issue's attack: run exited 3 in cache._digest (UnicodeEncodeError). The inputs
    record the readable name; the digest and verify's lookup work on it."""
    from bulletin.runner import cache
    from bulletin.runner.provenance import inputs

    raw = gbk_raw(tmp_path / "raw")
    listed = inputs(PERIOD, raw)
    assert [i["path"] for i in listed] == [f"{PERIOD}/宝清县签约台账（6月）.xlsx"]
    assert len(cache._digest(listed, os.fsdecode(b"\xb1\xa6"))) == 64


@pytest.mark.slow
def test_a_gbk_file_name_runs_publishes_and_verifies(tmp_path):
    raw = gbk_raw(tmp_path / "raw")
    args = ["--period", PERIOD, "--processed-dir", tmp_path / "p", "--reports-dir", tmp_path / "r"]
    pipeline("run", "--raw-dir", raw, *args, env=SKIP_PDF)  # no assertion reads its PDF
    manifest = (tmp_path / "r" / PERIOD / "manifest.json").read_text(encoding="utf-8")
    assert "宝清县签约台账（6月）.xlsx" in manifest
    proc = pipeline("verify", "--raw-dir", raw, *args)
    assert "核验通过" in proc.stdout


# --------------------------------------------------------------------------- 4. YAML
def laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_document_yaml_fails_fast(tmp_path):
    """The issue's attack: check took 128 s and 9.36 GB. Now the configuration is refused
    at once, in little memory, naming the file; `check` exits 2 with that message."""
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "document.yaml").write_text(laughs(), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ConfigError) as exc:
        load_config(str(cfg))
    assert time.perf_counter() - started < 1
    tracemalloc.start()
    with pytest.raises(ConfigError):
        yamlfile.load(cfg / "document.yaml")
    assert tracemalloc.get_traced_memory()[1] < 20 * 2**20
    tracemalloc.stop()
    assert str(cfg / "document.yaml") in str(exc.value) and "展开别名后超过" in str(exc.value)
    raw = tmp_path / "raw"
    ledger_folder(raw)
    proc = pipeline(
        "check", "--period", PERIOD, "--raw-dir", raw, "--out-dir", tmp_path / "o", "--config-dir", cfg, check=False
    )
    assert proc.returncode == 2 and "document.yaml 展开别名后超过" in proc.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("a: &x [*x]\n", "引用自身的锚点"),
        ("a: &x {b: *x}\n", "引用自身的锚点"),
        ("a: &x [1]\nb: [" + ", ".join(["*x"] * 101) + "]\n", "别名（\\*引用）超过 100 个"),
        ("a: " + "x" * (2**20) + "\n", "超过 1 MiB"),
        ("a: !!python/object/apply:os.system ['touch MARKER']\n", "不是有效的 YAML"),
        ("a: [" * 5000 + "]" * 5000 + "\n", "嵌套层数过多|maximum nesting depth"),
        (b"a: \xb1\xa6\n", "不是 UTF-8"),
    ],
    ids=["recursive-list", "recursive-map", "aliases", "size", "python-tag", "depth", "encoding"],
)
def test_unsafe_yaml_is_refused_naming_the_file(tmp_path, text, said, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "rules.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    started = time.perf_counter()
    with pytest.raises(ConfigError) as exc:
        yamlfile.load(path)
    assert time.perf_counter() - started < 2
    assert str(path) in str(exc.value) and re.search(said, str(exc.value))
    assert not (tmp_path / "MARKER").exists()


def test_a_billion_laughs_wording_file_is_a_wording_error(tmp_path):
    folder = tmp_path / "cfg" / "wording" / "zh"
    folder.mkdir(parents=True)
    (folder / "overview.yaml").write_text(laughs(), encoding="utf-8")
    with pytest.raises(WordingError, match="措辞文件 .*overview.yaml 展开别名后超过"):
        labels.Wording("zh", str(tmp_path / "cfg"))


def test_every_yaml_file_is_read_through_the_bounded_loader():
    """No module but bulletin.yamlfile parses YAML itself."""
    src = Path(yamlfile.__file__).parent
    for path in src.rglob("*.py"):
        if path.name == "yamlfile.py":
            continue
        text = path.read_text(encoding="utf-8")
        for call in ("yaml.safe_load", "yaml.load", "yaml.compose", "yaml.full_load", "yaml.unsafe_load"):
            assert call not in text, (path, call)


# --------------------------------------------------------------------------- 5. options
@pytest.mark.parametrize("given", ["2020-06 ", " 2020-06", "２０２０-０６", "２０２０－０６\n"])
def test_the_period_is_normalised_to_one_folder_name(given):
    assert normalise_period(given) == "2020-06"
    with pytest.raises(UsageError, match="应写作 2020-06"):
        validate_period(given)  # a library caller gets the one spelling or a refusal


@pytest.mark.parametrize("given", ["2020-6", "2020/06", "2020-13", "二〇二〇-06", ""])
def test_a_period_that_is_not_yyyy_mm_is_refused(given):
    with pytest.raises(UsageError, match="格式不正确"):
        normalise_period(given)


def test_an_odd_period_on_the_command_line_makes_no_second_folder(tmp_path):
    raw = tmp_path / "raw"
    ledger_folder(raw)
    out = tmp_path / "out"
    proc = pipeline("check", "--period", "２０２０-０６ ", "--raw-dir", raw, "--out-dir", out, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    assert sorted(p.name for p in (out / "data").iterdir()) == [PERIOD]
    proc = pipeline("check", "--period", "2020-6", "--raw-dir", raw, "--out-dir", out, check=False)
    assert proc.returncode == 2 and "期间“2020-6”格式不正确" in proc.stderr


@pytest.mark.parametrize("command", ["run", "check", "province", "verify", "sample", "templates"])
def test_verbose_works_after_the_command(command):
    proc = pipeline(command, "-v", "-h", check=False)
    assert proc.returncode == 0 and "-v" in proc.stdout and "详细日志" in proc.stdout


def test_verbose_after_the_command_runs_it(tmp_path):
    proc = pipeline("check", "-v", "--period", PERIOD, "--raw-dir", tmp_path / "none", check=False)
    assert proc.returncode == 2 and "没有选项" not in proc.stderr and "找不到原始数据文件夹" in proc.stderr


def zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (40 * 2**20))
    return path


def test_a_zip_bomb_reference_docx_is_refused(tmp_path):
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    zip_bomb(cfg / "reference.docx")
    with pytest.raises(ConfigError, match="Word 样式模板 .*reference.docx：文件内部数据压缩比异常"):
        reference_file(load_config(cfg))
    raw = tmp_path / "raw"
    ledger_folder(raw)
    proc = pipeline(
        "run", "--period", PERIOD, "--raw-dir", raw, "--processed-dir", tmp_path / "p",
        "--reports-dir", tmp_path / "r", "--config-dir", cfg, check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and "Word 样式模板" in proc.stderr and "压缩比异常" in proc.stderr


def test_reference_docx_styles_the_word_output_the_notebook_writes(tmp_path):
    """The notebook calls the Word writer without the configuration folder: the edition's
    own folder (its wording's) is used, so reference.docx styles bulletin.docx."""
    from docx import Document as read_docx
    from docx.shared import Pt

    from bulletin.publish import docx as writer
    from report_demo import doc_for, write_demo_processed

    ref = read_docx()
    ref.styles["Normal"].font.size = Pt(15)
    ref.styles["Normal"].font.name = "Our Face"
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    ref.save(str(cfg / "reference.docx"))
    doc = doc_for(write_demo_processed(tmp_path / "processed"), config_dir=cfg)
    path = writer.write_document(doc, tmp_path / "r")  # as notebooks/bulletin.ipynb calls it
    normal = read_docx(str(path)).styles["Normal"]
    assert normal.font.size.pt == 15 and normal.font.name == "Our Face"
