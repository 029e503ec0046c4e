"""The command line speaks Chinese: every command's ``--help`` (the command's text, each
option's help, click's own words) and the usage errors."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from conftest import pipeline

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_CLICK = ("Usage:", "Options:", "Commands:", "Show this message and exit", "[default:", "[required]")


def _commands():
    """Every command path of pipeline.py's click group (without starting it)."""
    import importlib.util

    from bulletin.paths import REPO_ROOT

    spec = importlib.util.spec_from_file_location("pipeline_cli", REPO_ROOT / "pipeline.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = []

    def walk(group, path):
        for name, cmd in group.commands.items():
            out.append((*path, name))
            if isinstance(cmd, click.Group):
                walk(cmd, (*path, name))

    walk(module.cli, ())
    return module.cli, out


CLI, COMMANDS = _commands()


def test_every_command_is_listed():
    assert {"run", "check", "sample", "verify", "issue", "province", "templates", "config"} <= {c[0] for c in COMMANDS}
    assert ("config", "init") in COMMANDS and ("config", "show") in COMMANDS


@pytest.mark.parametrize("path", [(), *COMMANDS], ids=lambda p: " ".join(p) or "pipeline.py")
def test_help_is_in_chinese(path):
    text = CliRunner().invoke(CLI, [*path, "--help"], prog_name="pipeline.py").output
    assert text.startswith("用法：pipeline.py"), text[:80]
    for word in ENGLISH_CLICK:
        assert word not in text, word
    command = CLI
    for name in path:
        command = command.commands[name]
    assert CJK.search(command.help or ""), "the command's own help"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help and CJK.search(param.help), f"{param.opts} has no Chinese help"


def test_the_english_edition_is_named_in_english_too():
    run = CLI.commands["run"]
    lang = next(p for p in run.params if p.name == "lang")
    assert "English edition" in lang.help


def test_usage_errors_are_in_chinese():
    proc = pipeline("run", "--lang", "fr", check=False)
    assert proc.returncode == 2
    assert "错误" in proc.stderr and "不是" in proc.stderr and "Error" not in proc.stderr
    proc = pipeline("check", check=False)
    assert proc.returncode == 2 and "错误：缺少必填的选项 --period YYYY-MM。" in proc.stderr
    proc = pipeline("nosuchcommand", check=False)
    assert proc.returncode == 2 and "错误：没有命令 nosuchcommand。可用的命令：" in proc.stderr
    proc = pipeline("runn", check=False)
    assert proc.returncode == 2 and "错误：没有命令 runn。是否要输入 run？" in proc.stderr
    proc = pipeline("run", "--perod", "2020-06", check=False)
    assert proc.returncode == 2 and "错误：没有选项 --perod。是否要输入 --period、--per-region？" in proc.stderr


@pytest.mark.parametrize("path", [(), *COMMANDS], ids=lambda p: " ".join(p) or "pipeline.py")
def test_help_is_laid_out_for_chinese(path):
    """80 columns on the terminal (a Chinese character takes two), no space put between
    two Chinese sentences where the source breaks a line, headings with “：”."""
    from bulletin.runner.cli_zh import width

    text = CliRunner().invoke(CLI, [*path, "--help"], prog_name="pipeline.py", terminal_width=80).output
    for line in text.splitlines():
        words = line.split()
        assert width(line) <= 80 or (words and width(words[-1]) > 40), line  # only a long path overflows
    assert not re.search(r"[\u3000-\u303f\uff00-\uffef\u4e00-\u9fff] [\u4e00-\u9fff]", text), text
    assert "选项：" in text and "选项:" not in text


def test_chinese_lines_break_between_characters_never_before_a_closing_mark():
    from bulletin.runner.cli_zh import fill, join_lines

    assert join_lines(["运行失败时", "上次成功的结果保持不变。", "--force 强制重算"]) == (
        "运行失败时上次成功的结果保持不变。--force 强制重算"
    )
    lines = fill("要求台账齐全：有县区的台账未报送时不生成通报（退出码 1），只写出问题清单。", 20)
    assert (
        "".join(lines).replace(" ", "") == "要求台账齐全：有县区的台账未报送时不生成通报（退出码1），只写出问题清单。"
    )
    assert all(not line.startswith(("，", "。", "）", "、")) for line in lines)
    assert fill("原始数据 [默认：/work/data/raw] 只读", 16) == ["原始数据", "[默认：/work/data/raw]", "只读"]
