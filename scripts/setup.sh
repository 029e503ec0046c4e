#!/usr/bin/env bash
# Set-up for a fresh Debian/Ubuntu machine: system packages (as root), then .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

# fonts-noto-cjk: Noto Sans/Serif CJK SC (the fallbacks of 黑体, 仿宋, 宋体, 小标宋); fonts-arphic-ukai: AR PL UKai
# (楷体); libreoffice-writer-nogui: the tests open bulletin.docx in a real office suite
DEB_PACKAGES=(fonts-noto-cjk fonts-arphic-ukai poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  python3-venv chromium libreoffice-writer-nogui)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${missing[*]}" >&2
    echo "Run as root:  sudo apt-get install -y ${missing[*]}" >&2
    # python3-venv may be provided another way (pyenv, conda); fonts are required.
    if ! fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then exit 1; fi
  fi
fi

PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "Python 3.11 or newer is required ($PYTHON is $("$PYTHON" --version))" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -m pip install -q -e ".[test,lab]" 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import bulletin, papermill, weasyprint, python_calamine, opencc, jupyterlab"
# The project's Jupyter kernel (this .venv's Python), for JupyterLab (make lab) and the notebooks
.venv/bin/python -m ipykernel install --sys-prefix --name bulletin --display-name "招商通报 (bulletin)" >/dev/null
echo "Environment ready: .venv (JupyterLab: make lab)"
