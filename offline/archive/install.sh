#!/bin/sh
# Installs the supervision ledger @VERSION@ from this archive into a virtual environment,
# with no network: pip reads wheels/ alone (no index, no configuration of this machine) and
# checks every file against its hash in wheels/requirements.txt.
#
#   ./install.sh [VENV]    VENV defaults to ./venv beside this script;
#                          PYTHON names the interpreter (default python3), a CPython @PYTHON@
set -eu
here=$(cd "$(dirname "$0")" && pwd)
venv=${1:-"$here/venv"}
python=${PYTHON:-python3}

"$python" - <<'CHECK' || exit 2
import platform, sys
python, machine, glibc = "%d.%d" % sys.version_info[:2], platform.machine(), platform.libc_ver()
wanted = ("@PYTHON@", "@MACHINE@", "@GLIBC@")
def version(text): return tuple(int(part) for part in text.split("."))
if (python, machine) != wanted[:2] or glibc[0] != "glibc" or version(glibc[1]) < version(wanted[2]):
    sys.exit("install.sh: these wheels are for CPython %s on %s Linux with glibc %s or later; "
             "%s is Python %s on %s, %s (set PYTHON to another interpreter)"
             % (*wanted, sys.executable, python, machine, " ".join(glibc) or "no glibc"))
CHECK

"$python" -m venv "$venv"
export PIP_CONFIG_FILE=/dev/null
"$venv/bin/python" -m pip --isolated --disable-pip-version-check install --quiet \
  --no-index --find-links "$here/wheels" --only-binary=:all: --require-hashes \
  --requirement "$here/wheels/requirements.txt"
"$venv/bin/python" -m pip --isolated check
echo "install.sh: supervision-ledger @VERSION@ installed: $venv/bin/ledger"
