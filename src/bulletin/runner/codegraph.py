"""What code a stage runs, read from the code itself: the import closure of its entry
points inside the package, found by a static scan (no import is executed).

* Every ``*.py`` file of the package is a module (``bulletin/report/drawing.py`` is
  ``bulletin.report.drawing``; a package is its ``__init__.py``).
* A module depends on every package module it imports — ``import a.b``, ``from a
  import b`` (``b`` a module or a name), relative imports, and imports inside
  functions alike — on the packages above each of them (``a/__init__.py`` runs
  first), and on modules it names in text (``"-m bulletin.publish.html_pdf"``, a
  kernel's preload line).
* A module that reaches a folder or file of package data through :mod:`bulletin.paths`
  (``paths.TEMPLATES_DIR``, ``from bulletin.paths import CONFIG_DIR``) depends on
  that data too.
* A stage's entry points are the code cells of its notebook (IPython magics and shell
  lines dropped) or a module the runner calls.

Scanning is the costly part (~0.3 s for the whole package), so a scan is kept by the
SHA-256 of the file's content (``known``: what an earlier run recorded, and what
``make bytecode`` wrote beside the package's bytecode, :func:`bulletin.runner.cache.built_scans`):
a file whose content is unchanged is not parsed again, and an edited file always is.
Hashing every file is cheap (milliseconds).
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

MODULE_TEXT = re.compile(r"\b(bulletin(?:\.[A-Za-z_]\w*)+)")
MAGIC = re.compile(r"^\s*[%!]")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def scan_source(source: bytes | str, module: str = "", is_package: bool = False) -> dict:
    """What a piece of code imports or names: ``imports`` (dotted names, everywhere in
    the code), ``top`` (the imports its body runs when it is imported: not those inside
    functions), ``named`` (module names in its strings, e.g. ``"-m bulletin.x"``; not
    in docstrings) and ``paths`` (names it takes from ``bulletin.paths``). ``module``: the
    code's own module name, to resolve relative imports. A dotted name may be a module
    or a name in one (resolved later, :meth:`CodeGraph.resolve`).

    >>> scan = scan_source("from bulletin.report import sections as r\\ndef f():\\n    import os")
    >>> scan["imports"], scan["top"]
    (['bulletin.report.sections', 'os'], ['bulletin.report.sections'])
    """
    tree = ast.parse(source)
    imports: set[str] = set()
    top: set[str] = set()
    named: set[str] = set()
    used_paths: set[str] = set()
    path_aliases = set()
    here = module.split(".") if is_package else module.split(".")[:-1]

    def visit(node: ast.AST, in_function: bool) -> None:
        found = []
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(alias.name)
                if alias.name == "bulletin.paths":
                    path_aliases.add(alias.asname or "bulletin")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = here[: len(here) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                found.append(f"{base}.{alias.name}")
                if base == "bulletin" and alias.name == "paths":
                    path_aliases.add(alias.asname or "paths")
                elif base == "bulletin.paths":
                    used_paths.add(alias.name)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            return  # a docstring: prose, not code
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            named.update(MODULE_TEXT.findall(node.value))
        imports.update(found)
        if not in_function:
            top.update(found)
        inner = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(tree, False)
    if path_aliases:
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in path_aliases:
                used_paths.add(node.attr)
    return {"imports": sorted(imports), "top": sorted(top), "named": sorted(named), "paths": sorted(used_paths)}


def notebook_code(notebook: Path) -> str:
    """The code cells of a notebook as one module (magics and shell lines dropped)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cells = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else source
            cells.append("\n".join(line for line in text.splitlines() if not MAGIC.match(line)))
    return "\n\n".join(cells) + "\n"


@dataclass
class CodeGraph:
    """The package's modules (name → file), their content hashes and scans."""

    package_dir: Path
    known: dict = field(default_factory=dict)  # scan key → scan, from an earlier run
    files: dict = field(default_factory=dict)  # module → Path
    shas: dict = field(default_factory=dict)  # module → sha256 of its content
    scans: dict = field(default_factory=dict)  # scan key → scan (the ones in use)

    def __post_init__(self) -> None:
        self.package_dir = Path(self.package_dir)
        name = self.package_dir.name
        for path in sorted(self.package_dir.rglob("*.py")):
            rel = path.relative_to(self.package_dir).with_suffix("").parts
            if "__pycache__" in rel:
                continue
            parts = [name, *rel]
            if parts[-1] == "__init__":
                parts = parts[:-1]
            module = ".".join(parts)
            data = path.read_bytes()
            sha = _sha(data)
            self.files[module], self.shas[module] = path, sha
            key = scan_key(sha, module)
            scan = self.known.get(key)
            if scan is None:
                scan = scan_source(data, module, path.name == "__init__.py")
            self.scans[key] = scan

    def scan(self, module: str) -> dict:
        return self.scans[scan_key(self.shas[module], module)]

    # ------------------------------------------------------------------ the graph
    def resolve(self, dotted: str) -> str | None:
        """The package module a dotted name refers to: the longest prefix that is a
        module (``bulletin.config.load_config`` → ``bulletin.config``), else None."""
        parts = dotted.split(".")
        while parts:
            name = ".".join(parts)
            if name in self.files:
                return name
            parts.pop()
        return None

    def parents(self, module: str) -> list[str]:
        """The packages above ``module`` (their ``__init__`` runs first)."""
        parts = module.split(".")
        return [m for m in (".".join(parts[:i]) for i in range(1, len(parts))) if m in self.files]

    def imports_of(self, scan: dict, whole: bool = True) -> set[tuple[str, bool]]:
        """(module, whole) pairs ``scan`` imports: each module imported by name as a
        whole (every import in it), and the packages above it by their body only (its
        ``__init__`` runs; imports inside its functions, such as a lazy
        ``__getattr__``, run only when something uses them — by importing them)."""
        found = [self.resolve(dotted) for dotted in (scan["imports"] if whole else scan["top"])]
        found += [name for name in scan.get("named", ()) if name in self.files]  # a module by its exact name
        out = set()
        for module in found:
            if module is not None:
                out.add((module, True))
                out.update((parent, False) for parent in self.parents(module))
        return out

    def closure(self, scans: list[dict]) -> set[str]:
        """Every package module reached from the entry code ``scans``."""
        todo = set().union(*(self.imports_of(s) for s in scans)) if scans else set()
        seen: set[tuple[str, bool]] = set()
        while todo:
            item = todo.pop()
            if item in seen or (item[0], True) in seen:
                continue
            seen.add(item)
            todo |= self.imports_of(self.scan(item[0]), item[1]) - seen
        return {module for module, _ in seen}

    def data_of(self, modules: set[str], paths_module) -> list[Path]:
        """Package data reached through ``bulletin.paths`` by ``modules``: the names'
        values that are files or folders inside the package (not the package itself)."""
        out = set()
        for module in modules:
            for name in self.scan(module)["paths"]:
                value = getattr(paths_module, name, None)
                if not isinstance(value, Path):
                    continue
                if not _inside(value, paths_module.PACKAGE_DIR):
                    continue  # the repository's data folders are inputs, not code
                value = self.package_dir / value.relative_to(paths_module.PACKAGE_DIR)
                if value != self.package_dir and value.exists():
                    out.add(value)
        return sorted(out)


def scan_key(sha: str, name: str) -> str:
    """A scan is kept by content and module name (relative imports depend on it)."""
    return f"{sha}:{name}"


def _inside(path: Path, folder: Path) -> bool:
    try:
        Path(path).relative_to(folder)
    except ValueError:
        return False
    return True


def files_digest(items: list[Path], root: Path) -> str:
    """SHA-256 over files and folders (every file below), each named relative to
    ``root`` (so a copy of the package elsewhere has the same digest)."""
    h = hashlib.sha256()
    for item in items:
        files = sorted(p for p in item.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for f in files if item.is_dir() else [item]:
            rel = f.relative_to(root) if _inside(f, root) else Path(f.name)
            h.update(rel.as_posix().encode() + b"\0")
            h.update(_sha(f.read_bytes()).encode() if f.exists() else b"<missing>")
    return h.hexdigest()
