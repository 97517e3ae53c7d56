"""``make dist``: one archive that installs the ledger on a machine with no network.

    python offline/dist.py fetch [--glibc 2.28]   the run-time wheels the lock pins (PyPI)
    python offline/dist.py archive                the archive, from them and this checkout

The wheels are for this Python (CPython 3.11 here) on this machine's architecture, and for
any Linux whose glibc is at least ``--glibc`` (manylinux wheels: 2.28 takes in RHEL 8 and
its rebuilds, Kylin V10, UOS 20, Debian 10, Ubuntu 20.04; 2.17 also CentOS 7), not only for
the glibc of the machine building it: PyPI often has several wheels of one release.

The archive, ``dist/supervision-ledger-<version>-cp311-manylinux_<glibc>_<arch>.tar.gz``,
holds the project's wheel (the built pages inside, as package data), the wheel of every
run-time dependency, ``wheels/requirements.txt`` pinning each of them with its hash, the
scripts of ``offline/archive/`` (install.sh, make-keys.sh, ledger.sh) and a README. Run with the
project's venv (``make install``): the wheel is built with the locked setuptools, from a
clean copy of the files git tracks (or would: new files not ignored), so nothing left in a
``build/`` folder gets in. The same checkout and lock give the same archive, byte for byte
(every time stamp is the last commit's).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from pathlib import Path

from packaging.utils import canonicalize_name, parse_wheel_filename
from runtime_wheels import PROJECT, fetch, fetched_wheels, sha256

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
FETCHED = ROOT / "build" / "offline"
TEMPLATES = Path(__file__).resolve().parent / "archive"
PAGES = ROOT / "api" / "web" / "dist"
SOURCES = ("pyproject.toml", "README.md", "domain", "projections", "api")
PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
MACHINE = platform.machine()
LEGACY_MANYLINUX = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
PIP = (sys.executable, "-m", "pip", "--isolated")
PIP_ALONE = {"PIP_CONFIG_FILE": os.devnull}
"""With ``PIP``: no pip configuration file or variable of this machine counts."""


def main() -> int:
    parser = argparse.ArgumentParser(prog="offline/dist.py", description=__doc__.split("\n")[0])
    parser.add_argument("stage", choices=["fetch", "archive"])
    parser.add_argument("--output", type=Path, default=ROOT / "dist", help="archive's folder")
    parser.add_argument("--glibc", default="2.28", help="the oldest glibc the wheels run on")
    args = parser.parse_args()
    if args.stage == "fetch":
        (FETCHED / "glibc").unlink(missing_ok=True)
        fetch(LOCK, FETCHED, manylinux_platforms(args.glibc))
        (FETCHED / "glibc").write_text(args.glibc, encoding="ascii")
    else:
        print(build_archive(args.output))
    return 0


def manylinux_platforms(glibc: str) -> list[str]:
    """The platform tags of the wheels that run on any Linux with ``glibc`` or later."""
    major, minor = (int(part) for part in glibc.split("."))
    if major != 2 or minor < 5:
        sys.exit(f"dist: --glibc {glibc}: manylinux wheels need glibc 2.5 or later")
    tags = []
    for older in range(minor, 4, -1):
        tags.append(f"manylinux_2_{older}_{MACHINE}")
        if older in LEGACY_MANYLINUX:
            tags.append(f"{LEGACY_MANYLINUX[older]}_{MACHINE}")
    return tags


def build_archive(output: Path) -> Path:
    """The archive, written to ``output``; its path."""
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    dependencies = fetched_wheels(LOCK, FETCHED)
    glibc = (FETCHED / "glibc").read_text(encoding="ascii")
    target = f"cp{PYTHON.replace('.', '')}-manylinux_{glibc.replace('.', '_')}_{MACHINE}"
    name = f"{PROJECT}-{version}-{target}"
    epoch = source_date_epoch()
    with tempfile.TemporaryDirectory(prefix="ledger-dist-") as scratch:
        tree = Path(scratch) / name
        wheels = tree / "wheels"
        wheels.mkdir(parents=True)
        own = project_wheel(Path(scratch) / "source", wheels, epoch)
        check_pages_are_in(own)
        for wheel in dependencies:
            shutil.copyfile(wheel, wheels / wheel.name)
        write_requirements(wheels)
        check_they_install_alone(wheels)
        copy_templates(
            tree,
            {"@VERSION@": version, "@PYTHON@": PYTHON, "@MACHINE@": MACHINE, "@GLIBC@": glibc},
        )
        output.mkdir(parents=True, exist_ok=True)
        return write_tar(tree, output / f"{name}.tar.gz", epoch)


def source_date_epoch() -> int:
    """Every time stamp written: ``SOURCE_DATE_EPOCH`` if set, else the last commit's."""
    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given:
        return int(given)
    done = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def project_wheel(source: Path, wheels: Path, epoch: int) -> Path:
    """The project's wheel, built from a copy of the files git tracks or would (none it
    ignores, none deleted; the pages' sources left out) and the built pages."""
    if not (PAGES / "screen.html").is_file():
        sys.exit(f"dist: the pages are not built in {PAGES}: run `make install`")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *SOURCES],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    names = {name for name in listed.stdout.decode().split("\0") if name}
    for name in sorted(n for n in names if not n.startswith("api/web/") and (ROOT / n).is_file()):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, source / name)
    shutil.copytree(PAGES, source / "api" / "web" / "dist", ignore=shutil.ignore_patterns(".*"))
    subprocess.run(
        [
            *PIP,
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--wheel-dir",
            str(wheels),
            str(source),
        ],
        env={**os.environ, **PIP_ALONE, "SOURCE_DATE_EPOCH": str(epoch)},
        check=True,
    )
    (own,) = wheels.glob("supervision_ledger-*.whl")
    return own


def check_pages_are_in(wheel: Path) -> None:
    """The wheel carries every built page under ``api/web/dist``, and nothing else of
    ``api/web`` (no npm package, no source of a page)."""
    with zipfile.ZipFile(wheel) as archive:
        web = {n for n in archive.namelist() if n.startswith("api/web/")}
    built = {f"api/web/dist/{p.name}" for p in PAGES.iterdir() if not p.name.startswith(".")}
    if web != built:
        sys.exit(
            f"dist: {wheel.name} carries {sorted(web - built)} and lacks {sorted(built - web)} "
            "of api/web: see [tool.setuptools.package-data] in pyproject.toml"
        )


def write_requirements(wheels: Path) -> None:
    """``requirements.txt``: every wheel of the folder, pinned, with its hash."""
    lines = []
    for wheel in sorted(wheels.glob("*.whl")):
        name, version, _, _ = parse_wheel_filename(wheel.name)
        lines.append(f"{name}=={version} --hash=sha256:{sha256(wheel)}")
    (wheels / "requirements.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def check_they_install_alone(wheels: Path) -> None:
    """pip, offline, resolves the project from these wheels alone, and needs each of them."""
    done = subprocess.run(
        [
            *PIP,
            "install",
            "--dry-run",
            "--quiet",
            "--ignore-installed",
            "--no-index",
            "--find-links",
            str(wheels),
            "--only-binary=:all:",
            "--report",
            "-",
            PROJECT,
        ],
        env={**os.environ, **PIP_ALONE},
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout)["install"]
    needed = {canonicalize_name(item["metadata"]["name"]) for item in report}
    shipped = {str(parse_wheel_filename(w.name)[0]) for w in wheels.glob("*.whl")}
    if needed != shipped:
        sys.exit(f"dist: shipped but not needed {shipped - needed}, needed {needed - shipped}")


def copy_templates(tree: Path, values: dict[str, str]) -> None:
    """The scripts and README of ``offline/archive``, with the version and target filled in."""
    for template in sorted(TEMPLATES.iterdir()):
        text = template.read_text(encoding="utf-8")
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        (tree / template.name).write_text(text, encoding="utf-8")


def write_tar(tree: Path, archive: Path, epoch: int) -> Path:
    """``tree`` as a gzipped tar: sorted, owned by root, every time stamp ``epoch``, the
    scripts executable, so that the same tree gives the same bytes."""
    partial = archive.with_suffix(".part")
    with (
        partial.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=epoch) as zipped,
        tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        for path in [tree, *sorted(tree.rglob("*"))]:
            info = tar.gettarinfo(str(path), arcname=str(path.relative_to(tree.parent)))
            info.mtime, info.uid, info.gid, info.uname, info.gname = epoch, 0, 0, "root", "root"
            executable = path.is_dir() or path.suffix == ".sh"
            info.mode = 0o755 if executable else 0o644
            if path.is_dir():
                tar.addfile(info)
            else:
                with path.open("rb") as content:
                    tar.addfile(info, content)
    partial.replace(archive)
    return archive


if __name__ == "__main__":
    sys.exit(main())
