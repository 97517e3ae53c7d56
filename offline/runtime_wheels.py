"""The wheels the service needs at run time, exactly as requirements.lock pins them.

The lock is made with the dev extra (pytest, ruff, mypy, playwright...), so it holds more
than a server needs. What a server needs is what the project's own requirements (no
extra) reach, following each package's requirements with their markers and extras, read
from the locked environment ``make install`` made (the same versions the lock names: this
is checked). That subset of the lock, its hashes kept verbatim, is what ``fetch`` asks
PyPI for: wheels only (a package without a wheel for this platform fails the fetch), each
checked against the lock's hashes.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

PROJECT = "supervision-ledger"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\]+)")


@dataclass(frozen=True)
class Pin:
    """One package of the lock: its version and its entry, hashes and all, as written."""

    name: str
    version: str
    entry: str


def lock_pins(lock: Path) -> dict[str, Pin]:
    """Every package the lock pins, by canonical name: a line ``name==version \\`` and the
    ``--hash`` lines under it (its ``# via`` comments left out)."""
    entries: list[tuple[re.Match[str], list[str]]] = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        if found := PIN.match(line):
            entries.append((found, [line]))
        elif entries and line.strip().startswith("--hash="):
            entries[-1][1].append(line)
    return {
        canonicalize_name(found[1]): Pin(canonicalize_name(found[1]), found[2], "\n".join(lines))
        for found, lines in entries
    }


def runtime_closure() -> dict[str, str]:
    """The packages the project needs at run time, with their installed versions: its own
    requirements without extras, and theirs, each with the extras asked of it."""
    wanted: dict[str, frozenset[str]] = {}
    todo: list[tuple[str, frozenset[str]]] = [(PROJECT, frozenset())]
    while todo:
        name, extras = todo.pop()
        key = canonicalize_name(name)
        if key in wanted and extras <= wanted[key]:
            continue
        wanted[key] = wanted.get(key, frozenset()) | extras
        for requirement in requirements_of(key, wanted[key]):
            todo.append((requirement.name, frozenset(requirement.extras)))
    del wanted[canonicalize_name(PROJECT)]
    return {name: installed_version(name) for name in sorted(wanted)}


def requirements_of(name: str, extras: frozenset[str]) -> list[Requirement]:
    """What the installed ``name`` requires here, with ``extras`` asked of it."""
    environments = [{"extra": extra} for extra in sorted(extras) or [""]]
    return [
        requirement
        for requirement in map(Requirement, distribution(name).requires or [])
        if requirement.marker is None
        or any(requirement.marker.evaluate(env) for env in environments)
    ]


def installed_version(name: str) -> str:
    try:
        return distribution(name).version
    except PackageNotFoundError:
        sys.exit(f"dist: {name} is required at run time but not installed: run `make install`")


def runtime_lock(lock: Path) -> str:
    """The lock's entries for the run-time packages, each checked against what is
    installed (a venv out of step with the lock is refused)."""
    pins = lock_pins(lock)
    entries = []
    for name, version in runtime_closure().items():
        pin = pins.get(name)
        if pin is None:
            sys.exit(f"dist: {name} is required at run time but {lock} lacks it: `make lock`")
        if pin.version != version:
            sys.exit(f"dist: {name} {version} installed, {pin.version} locked: `make install`")
        entries.append(pin.entry)
    return "\n".join(entries) + "\n"


def fetch(lock: Path, folder: Path, platforms: list[str]) -> None:
    """Download the run-time wheels the lock pins into ``folder`` (emptied first), hash
    checked, wheels only, each for one of ``platforms`` (or for any); ``folder/runtime.lock``
    names them."""
    subset = runtime_lock(lock)
    wheels = folder / "wheels"
    for old in wheels.glob("*") if wheels.is_dir() else ():
        old.unlink()
    wheels.mkdir(parents=True, exist_ok=True)
    (folder / "runtime.lock").write_text(subset, encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--require-hashes",
            "--only-binary=:all:",
            "--dest",
            str(wheels),
            "--requirement",
            str(folder / "runtime.lock"),
            *(f"--platform={platform}" for platform in platforms),
        ],
        check=True,
    )


def fetched_wheels(lock: Path, folder: Path) -> list[Path]:
    """The wheels ``fetch`` put in ``folder``, after checking they are still the run-time
    subset of ``lock``, one per package, each with a hash the lock gives."""
    record = folder / "runtime.lock"
    if not record.is_file() or record.read_text(encoding="utf-8") != runtime_lock(lock):
        sys.exit(f"dist: {folder} does not hold this lock's run-time wheels: run `make dist`")
    pins = lock_pins(record)
    wheels = sorted((folder / "wheels").glob("*.whl"))
    names = sorted(wheel_name(w) for w in wheels)
    if names != sorted(pins):
        sys.exit(f"dist: {folder}/wheels holds {names}, not {sorted(pins)}: run `make dist`")
    for wheel in wheels:
        pin = pins[wheel_name(wheel)]
        if f"sha256:{sha256(wheel)}" not in pin.entry:
            sys.exit(f"dist: {wheel.name} does not match its hashes in the lock")
    return wheels


def wheel_name(wheel: Path) -> str:
    return parse_wheel_filename(wheel.name)[0]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
