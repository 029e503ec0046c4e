"""One error root with typed fields (issue 24 item 4; frictionless is the model): every
exception class the package defines derives from ``errors.BulletinError``; an error
about a place says it in ``file`` / ``sheet`` / ``row`` / ``field`` / ``code`` /
``errno``, not only in its Chinese message; the builtins callers catch still catch."""

from __future__ import annotations

import ast
import errno
import importlib
import pickle
from pathlib import Path

import pytest

from bulletin import definitions, errors, yamlfile
from bulletin.config import check_region_names
from bulletin.errors import BulletinError
from bulletin.read.limits import ResourceLimit

SRC = Path(errors.__file__).resolve().parent


def _exception_classes() -> list[type]:
    """Every class defined in src/bulletin that is an exception (found by reading each
    module's classes, then importing the module that defines one)."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [node.name for node in tree.body if isinstance(node, ast.ClassDef) and node.bases]
        if not names:
            continue
        module = importlib.import_module(".".join(["bulletin", *path.relative_to(SRC).with_suffix("").parts]))
        found += [c for n in names if isinstance(c := getattr(module, n), type) and issubclass(c, BaseException)]
    return found


def test_every_exception_class_derives_from_the_one_root():
    classes = _exception_classes()
    names = {c.__name__ for c in classes}
    assert {"PipelineError", "PublishError", "RegionError", "AccountingError", "DefinitionError"} <= names
    assert {"ConfigError", "ResourceLimit", "PublishTimeout", "WordingError", "UnsafePath"} <= names
    assert [c.__name__ for c in classes if not issubclass(c, BulletinError)] == []


def test_the_builtins_callers_catch_still_catch():
    assert issubclass(errors.AccountingError, AssertionError)
    assert issubclass(definitions.DefinitionError, ValueError)
    assert issubclass(errors.PublishError, RuntimeError) and issubclass(errors.RegionError, RuntimeError)
    assert issubclass(errors.ConfigError, errors.UsageError) and errors.ConfigError.exit_code == 2
    # the root is not a PipelineError: the command line still tells a bug (exit 3,
    # "运行失败") from a run that cannot go on
    for cls in (errors.AccountingError, errors.PublishError, definitions.DefinitionError, ResourceLimit):
        assert not issubclass(cls, errors.PipelineError), cls


def test_a_configuration_error_names_its_file_line_and_entry(tmp_path):
    bad = tmp_path / "rules.yaml"
    bad.write_text("a: [1, 2\nb: 3\n", encoding="utf-8")
    with pytest.raises(errors.ConfigError) as caught:
        yamlfile.load(bad)
    assert caught.value.file == str(bad) and caught.value.row == 2, caught.value.place
    assert "第2行" in str(caught.value)  # the field and the message tell the same line
    with pytest.raises(errors.ConfigError) as caught:
        check_region_names({"city": "双鸭山市", "regions": [{"name": "../宝清县"}]}, tmp_path / "regions.yaml")
    assert caught.value.place == {"file": str(tmp_path / "regions.yaml"), "field": "../宝清县"}
    assert "../宝清县" in str(caught.value)  # the message is unchanged


def test_a_definition_error_names_its_file_and_key():
    with pytest.raises(definitions.DefinitionError) as caught:
        definitions.parse_bands({"bands": [{"light": "green", "below": 5}, {"light": "火星"}]})
    assert caught.value.place == {"file": "rules.yaml", "field": "lights.bands"}
    with pytest.raises(definitions.DefinitionError) as caught:
        definitions.parse({"rules": {"ranking": {"ties": "coin"}}})
    assert (caught.value.file, caught.value.field) == ("rules.yaml", "ranking.ties")
    with pytest.raises(ValueError):  # still a ValueError for the callers that catch one
        definitions.rank({"a": 1}, "coin")


def test_os_error_fields_and_pickling():
    stage = errors.StageError("clean", "磁盘已满", errno=errno.ENOSPC, filename="/x/y.csv")
    assert (stage.errno, stage.filename, stage.file) == (errno.ENOSPC, "/x/y.csv", "/x/y.csv")
    region = errors.RegionError("县区版失败", {"宝清县": "磁盘已满"}, errno=errno.ENOSPC, filename="/x")
    back = pickle.loads(pickle.dumps(region))
    assert (back.errno, back.filename, back.place, back.failures) == (
        errno.ENOSPC,
        "/x",
        {"file": "/x", "errno": errno.ENOSPC},
        {"宝清县": "磁盘已满"},
    )
    limit = pickle.loads(pickle.dumps(ResourceLimit("memory", "1 GB")))  # crosses the bounded child's pipe
    assert (limit.kind, limit.detail, limit.place) == ("memory", "1 GB", {})
    assert errors.BulletinError("x", row=0).place == {"row": 0}  # row 0 is a place, not nothing
