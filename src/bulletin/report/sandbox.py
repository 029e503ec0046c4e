"""The template language of the wording files and of document.yaml's title: Jinja2 in a
sandbox that can name figures and nothing else (SPEC §14).

A wording file comes from the office's config folder, and in ``province`` from each
city's own folder: whoever can write one must not be able to run code on the machine
that renders the bulletin. Two fences:

* :func:`problems` walks the parsed template and allows only text, ``{{ name }}`` of a
  documented figure, literals (text, numbers), the filters in :data:`FILTERS` (the
  packaged wording uses none) and ``{% if %}``/``{% elif %}``/``{% else %}`` (and the
  inline ``a if b else c``) on names, with ``not``/``and``/``or`` and comparisons. No
  attribute or item access (``x.__class__``, ``x['a']``), no calls (``range(…)``,
  ``'…'.format(x)``), no operators (``'%s' % x``, ``10**9``), no loops, assignments,
  macros, includes or blocks. A wording file that uses anything else is refused when it
  is loaded, naming the file, the line and the key.
* :func:`environment` renders in :class:`jinja2.sandbox.ImmutableSandboxedEnvironment`
  with no globals (no ``range``, ``cycler``, ``joiner``, ``namespace``, ``lipsum``,
  ``dict``), only the allowed filters and a few tests, and undefined names as errors:
  should the walk ever miss something, the sandbox still refuses unsafe attributes.

>>> problems("{{ a }}和{% if b %}有{% else %}无{% endif %}", {"a", "b"})
[]
>>> problems("{{ a.__class__ }}", {"a"})
[(1, '取属性或下标（“.”或“[ ]”）')]
>>> render("{{ city }}通报", city="某市")
'某市通报'
"""

from __future__ import annotations

import threading

FILTERS: frozenset[str] = frozenset()  # the filters the packaged wording uses (none)
TESTS = frozenset({"defined", "undefined", "none", "true", "false", "number", "string"})
_COMPARE = frozenset({"eq", "ne", "gt", "gteq", "lt", "lteq"})

_LOCK = threading.Lock()
_ENV: list = []


def _build():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    # plain text (no HTML escaping: the writers escape), no trimming of the texts
    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.globals.clear()
    env.filters = {name: env.filters[name] for name in FILTERS}
    env.tests = {name: env.tests[name] for name in TESTS}
    return env


def environment():
    """The one sandboxed environment of the process (built on first use)."""
    with _LOCK:
        if not _ENV:
            _ENV.append(_build())
        return _ENV[0]


def is_template(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text


def _kind(node) -> str:
    """What a refused node is, in the office's words."""
    from jinja2 import nodes

    if isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Slice):
        return "取属性或下标（“.”或“[ ]”）"
    if isinstance(node, nodes.Call):
        return "调用函数（“( )”）"
    if isinstance(node, nodes.For):
        return "循环（for）"
    if isinstance(node, nodes.Filter | nodes.FilterBlock):
        return f"过滤器“|{getattr(node, 'name', '')}”"
    if isinstance(node, nodes.Test):
        return f"判断“is {node.name}”"
    if isinstance(node, nodes.BinExpr | nodes.UnaryExpr | nodes.Concat):
        return "运算（%、+、~、** 等）"
    if isinstance(node, nodes.Name) and node.ctx != "load":
        return f"给“{node.name}”赋值"
    if isinstance(node, nodes.Stmt):
        return f"{{% {type(node).__name__.lower()} %}} 语句"
    return f"“{type(node).__name__}”写法"


def _refused(node, names) -> tuple[object, str] | None:  # noqa: C901 - one case per node kind
    """The first node under ``node`` that a wording text may not hold (with why), or None."""
    from jinja2 import nodes

    if isinstance(node, nodes.Template | nodes.Output | nodes.If | nodes.CondExpr):
        pass
    elif isinstance(node, nodes.TemplateData):
        return None
    elif isinstance(node, nodes.Const):
        return None if isinstance(node.value, str | int | float | bool | type(None)) else (node, _kind(node))
    elif isinstance(node, nodes.Name):
        if node.ctx != "load":
            return node, _kind(node)
        return None if node.name in names else (node, f"未知的数值“{{{{ {node.name} }}}}”")
    elif isinstance(node, nodes.Not | nodes.And | nodes.Or | nodes.Compare):
        if isinstance(node, nodes.Compare) and any(op.op not in _COMPARE for op in node.ops):
            return node, "比较只能用 ==、!=、<、<=、>、>="
    elif isinstance(node, nodes.Operand):
        pass
    elif isinstance(node, nodes.Filter) and node.name in FILTERS and not node.dyn_args and not node.dyn_kwargs:
        pass
    elif isinstance(node, nodes.Test) and node.name in TESTS and not node.args and not node.kwargs:
        pass
    else:
        return node, _kind(node)
    for child in node.iter_child_nodes():
        found = _refused(child, names)
        if found:
            return found
    return None


def problems(text: str, names) -> list[tuple[int, str]]:
    """``[(line within the text, what is not allowed)]`` of a wording text whose figures
    are ``names`` (empty: the text is fine). A syntax error is raised as jinja2's
    TemplateSyntaxError (it carries its line)."""
    if not is_template(text):
        return []
    tree = environment().parse(text)
    found = _refused(tree, frozenset(names))
    if found is None:
        return []
    node, why = found
    return [(getattr(node, "lineno", 1) or 1, why)]


def names(text: str) -> set[str]:
    """The names a text reads (``{{ a }}``, ``{% if b %}``).

    >>> sorted(names("{{ a }}{% if b %}{{ c }}{% endif %}"))
    ['a', 'b', 'c']
    """
    if not is_template(text):
        return set()
    from jinja2 import nodes

    return {n.name for n in environment().parse(text).find_all(nodes.Name) if n.ctx == "load"}


def compile(text: str):  # noqa: A001 - the template of a text, as jinja2 names it
    return environment().from_string(text)


def render(text: str, **fields) -> str:
    """A one-off text with ``fields``, refusing what :func:`problems` refuses (ValueError
    in Chinese) before anything is rendered."""
    if not is_template(text):
        return text
    found = problems(text, fields)
    if found:
        line, why = found[0]
        raise ValueError(f"第{line}行：不允许的写法：{why}")
    return compile(text).render(**fields)
