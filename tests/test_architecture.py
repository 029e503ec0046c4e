"""The rules of the house, checked on the package's source (a static read with ``ast``;
nothing is imported): no import cycle, no private name across modules, no module over
600 lines, and the contract's constants, Period and table columns declared once.

Known exceptions are listed here by module, each with the work that removes it; an
entry that no longer applies fails the test, so the lists only shrink."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bulletin import contract
from bulletin.paths import PACKAGE_DIR

MAX_LINES = 600
# Modules still over the limit, to be split by the work that owns them (issue 11's
# reshaping of report/ and ledgers/); none may be added.
LONG_MODULES: dict[str, str] = {}
# Private names still imported across modules: (importing module, imported module, name).
PRIVATE_IMPORTS: set[tuple[str, str, str]] = set()
# Where the literal "全市" may be written: the contract and the wording.
CITY_LITERAL_ALLOWED = {"contract.py", "report/labels.py"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if "__pycache__" not in path.parts:
            out[path.relative_to(PACKAGE_DIR).as_posix()] = path
    return out


MODULES = _modules()
TREES = {rel: ast.parse(path.read_text(encoding="utf-8"), filename=str(path)) for rel, path in MODULES.items()}


def _name(rel: str) -> str:
    parts = ["bulletin", *Path(rel).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


NAMES = {_name(rel): rel for rel in MODULES}


def _resolve(dotted: str) -> str | None:
    parts = dotted.split(".")
    while parts:
        if ".".join(parts) in NAMES:
            return ".".join(parts)
        parts.pop()
    return None


def _absolute(rel: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    here = _name(rel).split(".")
    if not rel.endswith("__init__.py"):
        here = here[:-1]
    here = here[: len(here) - (node.level - 1)]
    return ".".join([*here, node.module] if node.module else here)


def _module_level_imports(rel: str) -> set[str]:
    """The package modules ``rel`` imports when it is imported (imports inside
    functions run later and cannot make an import cycle)."""
    out = set()

    def visit(node, in_function):
        if not in_function:
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(rel, node)
                targets = [f"{base}.{a.name}" for a in node.names]
            for t in targets:
                m = _resolve(t)
                if m and m != _name(rel) and not _name(rel).startswith(m + "."):  # a parent package is no edge
                    out.add(m)
        inner = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(TREES[rel], False)
    return out


def test_the_scan_sees_the_package():
    assert len(MODULES) > 40
    assert "bulletin.runner.cache" in NAMES and "bulletin.contract" in NAMES
    assert "bulletin.contract" in _module_level_imports("store.py")


def test_no_import_cycles():
    graph = {_name(rel): _module_level_imports(rel) for rel in MODULES}
    state: dict[str, int] = {}
    cycles = []

    def walk(node, stack):
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                walk(nxt, [*stack, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node, [node])
    assert cycles == []


def _private_imports() -> set[tuple[str, str, str]]:
    found = set()
    for rel, tree in TREES.items():
        aliases = {}  # local name → package module
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = _absolute(rel, node)
                for a in node.names:
                    target = _resolve(f"{base}.{a.name}")
                    if target is None:
                        continue
                    if target == f"{base}.{a.name}":  # a module imported by name
                        aliases[a.asname or a.name] = target
                        if a.name.startswith("_") and not a.name.startswith("__"):
                            found.add((rel, base, a.name))
                    elif a.name.startswith("_") and not a.name.startswith("__") and target != _name(rel):
                        found.add((rel, target, a.name))
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if _resolve(a.name) and a.asname:
                        aliases[a.asname] = a.name
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                found.add((rel, aliases[node.value.id], node.attr))
    return found


def test_no_private_name_is_imported_across_modules():
    found = _private_imports()
    assert found - PRIVATE_IMPORTS == set()
    assert PRIVATE_IMPORTS - found == set(), "fixed: remove it from PRIVATE_IMPORTS"


def test_the_private_import_check_finds_one():
    tree = ast.parse("from bulletin.store import _secret\nfrom bulletin import paths\npaths._umask()\n")
    TREES["_probe.py"], MODULES["_probe.py"] = tree, Path("_probe.py")
    try:
        found = {f for f in _private_imports() if f[0] == "_probe.py"}
    finally:
        del TREES["_probe.py"], MODULES["_probe.py"]
    assert found == {("_probe.py", "bulletin.store", "_secret"), ("_probe.py", "bulletin.paths", "_umask")}


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("rel", sorted(MODULES))
def test_no_module_over_600_lines(rel):
    n = _lines(MODULES[rel])
    if rel in LONG_MODULES:
        assert n > MAX_LINES, f"{rel} is {n} lines now: remove it from LONG_MODULES"
    else:
        assert n <= MAX_LINES, f"{rel} has {n} lines (at most {MAX_LINES}): split it"


def test_known_long_modules_exist():
    assert set(LONG_MODULES) <= set(MODULES)


def test_the_city_literal_only_in_the_contract_and_the_wording():
    found = {
        rel
        for rel, tree in TREES.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value == contract.CITY
    }
    assert found <= CITY_LITERAL_ALLOWED


def test_one_period_class():
    found = [
        rel
        for rel, tree in TREES.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and node.name == "Period"
    ]
    assert found == ["contract.py"]


SCHEMAS = {
    "LINEAGE": contract.LINEAGE,
    **{f"RECORD_COLUMNS[{k}]": v for k, v in contract.RECORD_COLUMNS.items()},
    "FINDING_COLUMNS": contract.FINDING_COLUMNS,
    "ACCOUNTING_COLUMNS": contract.ACCOUNTING_COLUMNS,
    "SKIPPED_COLUMNS": contract.SKIPPED_COLUMNS,
    "INDICATOR_COLUMNS": contract.INDICATOR_COLUMNS,
}


def column_lists(tree: ast.AST) -> list[tuple[int, str]]:
    """Literal lists/tuples/sets of column names that re-declare a contract table:
    three or more names and at least three quarters of one table's columns."""
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.List | ast.Tuple | ast.Set):
            continue
        names = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
        for schema, columns in SCHEMAS.items():
            hit = names & set(columns)
            if len(hit) >= 3 and len(hit) >= 0.75 * len(columns):
                out.append((node.lineno, schema))
    return out


def test_no_table_column_lists_outside_the_contract():
    found = {rel: column_lists(tree) for rel, tree in TREES.items() if rel != "contract.py"}
    assert {rel: hits for rel, hits in found.items() if hits} == {}


def test_the_column_list_check_finds_one():
    assert column_lists(ast.parse('cols = ["period", "region", "indicator", "value", "text"]')) == [
        (1, "INDICATOR_COLUMNS")
    ]
    assert column_lists(ast.parse('keys = ["rows_read", "records", "rejected_rows"]')) == []  # a selection


def test_package_data_is_reached_through_paths():
    """Only paths.py locates files from ``__file__``: the stage keys follow package data
    through the names of bulletin.paths (bulletin.runner.codegraph)."""
    found = {
        rel
        for rel, tree in TREES.items()
        for node in ast.walk(tree)
        if (isinstance(node, ast.Name) and node.id == "__file__")
        or (
            isinstance(node, ast.Attribute)
            and node.attr in ("files", "open_text", "read_text", "path")
            and isinstance(node.value, ast.Name)
            and node.value.id in ("resources", "importlib_resources")
        )
    }
    assert found == {"paths.py"}


# --------------------------------------------------------------------------- functions
MAX_FUNCTION_LINES = 80
MAX_POSITIONAL = 6
# The function rule (issue 24) holds in all of src/ (ledgers/ joined it with the parser's
# reshaping); known exceptions, each with its reason; an entry that no longer applies fails.
FUNCTION_RULE_EXCLUDED: tuple[str, ...] = ()
WIDE_OR_LONG_FUNCTIONS = {
    ("runner/engine.py", "execute_managed_notebook"): "papermill's engine API fixes its signature",
}


def functions(tree: ast.AST) -> list[tuple[str, int, int]]:
    """(name, lines, positional parameters besides self/cls) of every function."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            positional = [*node.args.posonlyargs, *node.args.args]
            if positional and positional[0].arg in ("self", "cls"):
                positional = positional[1:]
            out.append((node.name, node.end_lineno - node.lineno + 1, len(positional)))
    return out


def _too_long_or_wide(rel: str) -> set[str]:
    return {
        name
        for name, lines, positional in functions(TREES[rel])
        if lines > MAX_FUNCTION_LINES or positional > MAX_POSITIONAL
    }


@pytest.mark.parametrize("rel", sorted(r for r in MODULES if not r.startswith(FUNCTION_RULE_EXCLUDED)))
def test_functions_are_short_and_take_few_positional_parameters(rel):
    found = _too_long_or_wide(rel)
    known = {name for (module, name) in WIDE_OR_LONG_FUNCTIONS if module == rel}
    assert found - known == set(), (
        f"{rel}: {sorted(found - known)} over {MAX_FUNCTION_LINES} lines or {MAX_POSITIONAL} positional "
        "parameters: split it, or take keyword-only parameters (*) or a small dataclass"
    )
    assert known - found == set(), f"{rel}: {sorted(known - found)} follow the rule now: remove them from the list"


def test_the_function_check_finds_one():
    source = (
        "def f(a, b, c, d, e, f, g):\n    pass\n\nclass C:\n    def m(self, a, b, c, d, e, f, *, g=1):\n        pass\n"
    )
    assert [(n, p) for n, _, p in functions(ast.parse(source))] == [("f", 7), ("m", 6)]
    assert {n for n, lines, _ in functions(ast.parse("def g():\n" + "    x = 1\n" * 81))} == {"g"}
    assert functions(ast.parse("def g():\n" + "    x = 1\n" * 81))[0][1] == 82


# --------------------------------------------------------------------------- configuration
# The configuration is loaded once, at the edge, and passed down (issue 24): the modules
# that may call load_config, each with its reason.
LOAD_CONFIG_EDGES = {
    "config.py": "defines it",
    "stages.py": "the clean and indicators notebooks' first call: stage_config",
    "runner/params.py": "a run's parameters: checked_config (the runner, pipeline.py check/templates/config)",
}
# Below the edges no function falls back to loading it. Not yet, each with its reason
# (an entry that no longer applies fails): the modules that still load it, the functions
# whose ``cfg`` still defaults to None — none left (parse_amount and read_workbook were
# the last: the plausibility check read amounts with the packaged configuration).
LOAD_CONFIG_NOT_YET: dict[str, str] = {}
CFG_NONE_NOT_YET: dict[tuple[str, str], str] = {}


def _calls_load_config(tree: ast.AST) -> bool:
    return any(
        isinstance(node, ast.Call)
        and (getattr(node.func, "id", None) == "load_config" or getattr(node.func, "attr", None) == "load_config")
        for node in ast.walk(tree)
    )


def _cfg_defaults_to_none(tree: ast.AST) -> list[str]:
    """The functions whose parameter ``cfg`` has a default of None."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            a = node.args
            positional = [*a.posonlyargs, *a.args]
            pairs = list(zip(positional[len(positional) - len(a.defaults) :], a.defaults))
            pairs += [(arg, d) for arg, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None]
            if any(arg.arg == "cfg" and isinstance(d, ast.Constant) and d.value is None for arg, d in pairs):
                out.append(node.name)
    return out


def test_configuration_is_loaded_only_at_the_edges():
    found = {rel for rel, tree in TREES.items() if _calls_load_config(tree)} - set(LOAD_CONFIG_EDGES)
    assert found - set(LOAD_CONFIG_NOT_YET) == set(), "pass the Config down instead"
    assert set(LOAD_CONFIG_NOT_YET) - found == set(), "they follow the rule now: remove them from the list"
    assert not any(rel.startswith("report/") for rel in found)  # the report never loads configuration


def test_no_cfg_parameter_defaults_to_none():
    found = {(rel, name) for rel, tree in TREES.items() for name in _cfg_defaults_to_none(tree)}
    assert found - set(CFG_NONE_NOT_YET) == set(), "cfg must be given (a Config, never None)"
    assert set(CFG_NONE_NOT_YET) - found == set(), "they follow the rule now: remove them from the list"


def test_the_configuration_checks_find_one():
    tree = ast.parse(
        "def f(a, cfg=None):\n    return cfg or load_config()\n"
        "def g(a, *, cfg=None):\n    pass\n"
        "def h(a, cfg: Config, b=None):\n    config.load_config\n"
    )
    assert _calls_load_config(tree) and _cfg_defaults_to_none(tree) == ["f", "g"]
    assert not _calls_load_config(ast.parse("def h(cfg):\n    config.load_config\n"))


def test_every_output_of_a_run_is_declared_once():
    """The registry (publish/names.py) is where output file names live: no other module
    spells an edition's file names (``bulletin.pdf``, ``bulletin.internal.html`` …)."""
    spelled = {"bulletin.html", "bulletin.pdf", "bulletin.docx", "bulletin.xlsx", "bulletin.internal.html"}
    found = {
        rel
        for rel, tree in TREES.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in spelled
    }
    assert found <= {"publish/names.py"}, found
