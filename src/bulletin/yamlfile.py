"""Every YAML file the package reads (the configuration, the wording, document.yaml)
goes through :func:`load` or :func:`compose`: safe tags only, at most 1 MiB, at most
100 aliases, at most :data:`MAX_NODES` values once the aliases are expanded (a
"billion laughs" file fails at once, in little memory), no anchor that contains
itself. Each refusal is a :class:`~bulletin.errors.ConfigError` in Chinese naming the
file (SPEC §14).

>>> import tempfile, pathlib
>>> f = pathlib.Path(tempfile.mkdtemp()) / "x.yaml"
>>> _ = f.write_text("a: &x [1, 2]\\nb: *x\\n", encoding="utf-8")
>>> load(f)
{'a': [1, 2], 'b': [1, 2]}
>>> _ = f.write_text("a: &x [*x]\\n", encoding="utf-8")
>>> load(f)
Traceback (most recent call last):
...
bulletin.errors.ConfigError: 配置文件 ... 中有引用自身的锚点（&名称 里又用了 *名称），无法读取
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bulletin.errors import ConfigError

MAX_BYTES = 1 << 20  # 1 MiB: the largest packaged file is a few KiB
MAX_ALIASES = 100
MAX_NODES = 200_000  # values after expanding the aliases (the packaged files: a few thousand)


# libyaml's loader when the system has it (parsing and composing in C), else PyYAML's own
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _count_aliases(text: str, where: str) -> None:
    """At most MAX_ALIASES aliases, counted on the parser's events (nothing built)."""
    n = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            n += 1
            if n > MAX_ALIASES:
                raise ConfigError(
                    f"配置文件 {where} 中的别名（*引用）超过 {MAX_ALIASES} 个，出于安全考虑未读取；请直接写出内容",
                    file=where,
                )


def _children(node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_graph(root, where: str) -> None:
    """No anchor inside itself; at most MAX_NODES values once expanded (counted on the
    graph, never expanded)."""
    sizes: dict[int, int] = {}
    open_: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_.discard(key)
            sizes[key] = 1 + sum(sizes[id(c)] for c in _children(node))
            if sizes[key] > MAX_NODES:
                raise ConfigError(
                    f"配置文件 {where} 展开别名后超过 {MAX_NODES} 项（层层引用的锚点），出于安全考虑未读取",
                    file=where,
                )
            continue
        if key in sizes:
            continue
        if key in open_:
            raise ConfigError(f"配置文件 {where} 中有引用自身的锚点（&名称 里又用了 *名称），无法读取", file=where)
        open_.add(key)
        stack.append((node, True))
        stack += [(c, False) for c in _children(node) if id(c) not in sizes]


def _text(path: Path) -> str:
    with open(path, "rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ConfigError(f"配置文件 {path} 超过 {MAX_BYTES // (1 << 20)} MiB，出于安全考虑未读取", file=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"配置文件 {path} 不是 UTF-8 编码的文本（第 {exc.start + 1} 个字节），无法读取", file=path
        ) from None


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).replace('in "<unicode string>", ', "").split())


def compose(path: str | Path):
    """The checked node tree of a YAML file (None when it is empty); lines in ``start_mark``."""
    path = Path(path)
    text = _text(path)
    loader = _LOADER(text)
    try:
        _count_aliases(text, str(path))
        node = loader.get_single_node()
        if node is not None:
            _check_graph(node, str(path))
        return node, loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"第{mark.line + 1}行" if mark else ""
        raise ConfigError(
            f"配置文件有误：{path} {line}不是有效的 YAML：{_one_line(exc)}",
            file=path,
            row=mark.line + 1 if mark else None,
        ) from None
    except RecursionError:
        raise ConfigError(f"配置文件 {path} 嵌套层数过多，无法读取", file=path) from None


def load(path: str | Path):
    """The data of a YAML file (None when it is empty), checked as the module says."""
    node, loader = compose(path)
    try:
        return None if node is None else loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise ConfigError(f"配置文件有误：{path} 不是有效的 YAML：{_one_line(exc)}", file=path) from None
    finally:
        loader.dispose()
