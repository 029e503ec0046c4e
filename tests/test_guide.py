"""docs/操作手册.md quotes the program: the messages of the common mistakes it lists are
produced here and must stand in the guide word for word (paths shortened to “/…/” as the
guide writes them), with the exit code the guide gives; the README links the guide."""

from __future__ import annotations

import pytest

from bulletin.paths import REPO_ROOT
from conftest import pipeline

GUIDE = (REPO_ROOT / "docs" / "操作手册.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    root = tmp_path_factory.mktemp("guide")
    folder = root / "data" / "raw"
    (folder / "2020-08").mkdir(parents=True)  # an empty month folder
    (folder / "2020-09").mkdir()
    (folder / "2020-09" / "说明.txt").write_text("hello", encoding="utf-8")
    return folder


def _said(proc, raw) -> list[str]:
    """The lines of stderr as the guide writes them (the raw folder's parent as /…/)."""
    text = proc.stderr.replace(str(raw.parent.parent), "/…")
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize(
    "args, code",
    [
        (("run", "--period", "2020-6"), 2),
        (("run", "--period", "2020-13"), 2),
        (("run",), 2),
        (("run", "--perod", "2020-06"), 2),
        (("runn",), 2),
        (("run", "--period", "2020-07"), 2),
        (("check", "--period", "2020-07"), 2),
        (("run", "--period", "2020-08"), 2),
        (("run", "--period", "2020-09"), 2),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else str(v),
)
def test_the_guide_quotes_the_message_and_its_exit_code(args, code, raw, tmp_path):
    command = args[0]
    extra = ["--raw-dir", raw] if "--period" in args else []
    if command == "run" and extra:
        extra += ["--processed-dir", tmp_path / "p", "--reports-dir", tmp_path / "r"]
    proc = pipeline(*args, *extra, check=False)
    assert proc.returncode == code, proc.stderr
    error = next(line for line in _said(proc, raw) if line.startswith("错误："))
    assert error in GUIDE, error
    section = GUIDE[GUIDE.index("## 十二、退出码") :]
    assert f"`{code}`" in section


def test_every_exit_code_is_explained():
    table = GUIDE[GUIDE.index("## 十二、退出码") : GUIDE.index("## 十三、")]
    for code in "0123":
        assert f"| `{code}` |" in table


def test_the_readme_links_the_guide():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[: readme.index("## Set-up")]
    assert "[docs/操作手册.md](docs/操作手册.md)" in head
