"""The command line in Chinese: click's own words (``Usage:``, ``Options``, ``Show this
message and exit.``, the usage errors) translated, so that ``pipeline.py … --help`` and
a mistyped option read in Chinese like every other message of the pipeline.

click looks its words up with :func:`gettext.gettext` and :func:`gettext.ngettext`,
imported into each of its modules; :func:`install` points those names at the table
below (a word missing from it stays English). The option and command help texts are
written in Chinese in ``pipeline.py`` itself.
"""

from __future__ import annotations

import importlib

import click

# click's message ids (click 8.1–8.3) → Chinese
ZH = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值不正确：{message}",
    "Invalid value: {message}": "值不正确：{message}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不需要值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Did you mean {possibility}?": "是否要输入 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否要输入以下之一：{possibilities}？）",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "integer": "整数",
    "float": "数字",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "Aborted!": "已中止。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
}
CLICK_MODULES = ("core", "exceptions", "decorators", "formatting", "parser", "types")


def gettext(message: str) -> str:
    """``message`` in Chinese when the table has it.

    >>> gettext("Options"), gettext("something else")
    ('选项', 'something else')
    """
    return ZH.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Make click speak Chinese (its modules' ``_`` and ``ngettext``)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


class Command(click.Command):
    """A command whose usage line says ``[选项]``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class Group(click.Group):
    """A group of :class:`Command` (and of groups like itself), usage ``命令 [参数]...``."""

    command_class = Command

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)


Group.group_class = Group
