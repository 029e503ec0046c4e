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
    assert {"run", "check", "sample", "verify", "province", "templates", "config"} <= {c[0] for c in COMMANDS}
    assert ("config", "init") in COMMANDS and ("config", "show") in COMMANDS


@pytest.mark.parametrize("path", [(), *COMMANDS], ids=lambda p: " ".join(p) or "pipeline.py")
def test_help_is_in_chinese(path):
    text = CliRunner().invoke(CLI, [*path, "--help"], prog_name="pipeline.py").output
    assert text.startswith("用法: pipeline.py"), text[:80]
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
    assert proc.returncode == 2 and "缺少选项" in proc.stderr
    proc = pipeline("nosuchcommand", check=False)
    assert proc.returncode == 2 and "没有命令" in proc.stderr
