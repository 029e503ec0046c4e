"""environment.yml (conda-forge, Windows desktops) and pyproject.toml (pip, servers and
CI) must list the same dependencies with the same version bounds."""

import re
import tomllib

import yaml

from bulletin.paths import REPO_ROOT


def _split(spec: str) -> tuple[str, str]:
    m = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", spec.strip())
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def _pyproject() -> dict:
    data = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    specs = list(data["project"]["dependencies"])
    for extra in data["project"]["optional-dependencies"].values():  # test, lab
        specs += extra
    return dict(_split(s) for s in specs)


def _environment() -> dict:
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text(encoding="utf-8"))
    specs = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            specs += dep["pip"]
        elif not dep.startswith(("python", "pip")) or dep.startswith("python-"):
            specs.append(dep)
    return dict(_split(s) for s in specs)


def test_same_dependencies_and_bounds():
    assert _environment() == _pyproject()


def test_the_workbench_is_installed_by_the_set_up():
    """JupyterLab is an extra of its own and part of the test extra (the browser test
    opens it); scripts/setup.sh installs both and registers the project's kernel."""
    data = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = data["project"]["optional-dependencies"]
    assert any(s.startswith("jupyterlab") for s in extras["lab"])
    assert any(s.startswith("jupyterlab") for s in extras["test"])
    setup = (REPO_ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert '".[test,lab]"' in setup
    assert "ipykernel install --sys-prefix --name bulletin" in setup


def test_python_version_agrees():
    data = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text(encoding="utf-8"))
    python = [d for d in env["dependencies"] if isinstance(d, str) and re.match(r"python\b(?!-)", d)]
    assert python == ["python" + data["project"]["requires-python"]]
