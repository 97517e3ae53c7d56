"""The archive of ``make dist`` installs on a machine with no network and serves the pages.

The archive is built once per module from this checkout (``offline/dist.py archive``: the
project's wheel, with the pages, and the run-time wheels ``make dist`` fetched into
build/offline, which ``make test-pages`` fetches first), unpacked, and installed by its own
``install.sh`` into a fresh virtual environment: pip may read the archive's wheels alone
(``--no-index``, and PIP_NO_INDEX and every proxy variable pointing at a closed port,
so that any fetch would fail). The service then runs from that environment, as in
production (its keys made by the archive's ``make-keys.sh``), away from the checkout, and
a guarded Chromium opens its pages.

With the page tests: slow (about 15 s, mostly pip installing some 30 wheels), it runs on one
worker while the browser tests run on the other. Production refuses the suite's moved clock
(``LEDGER_TEST_NOW``): these processes read the system clock; nothing here depends on the date.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.pages.ports import port_outside_ephemeral_range

REPO = Path(__file__).resolve().parents[2]
PAGES = REPO / "api" / "web" / "dist"
CLOSED_PORT = "http://127.0.0.1:9"
"""A proxy no request gets through: the discard port, closed on the loopback."""
PROXIES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
NO_NETWORK = {"PIP_NO_INDEX": "1", **dict.fromkeys(PROXIES, CLOSED_PORT)}
READY_SECONDS = 60.0
COMMAND_SECONDS = 180


@dataclass(frozen=True)
class Installation:
    """The unpacked archive (its scripts) and the virtual environment it installed."""

    folder: Path
    venv: Path


def clean_environ(**more: str) -> dict[str, str]:
    """The environment of a process of the installation: none of the caller's pip, proxy,
    Python path or ledger settings."""
    dropped = ("PIP_", "LEDGER_", "PYTHONPATH", "VIRTUAL_ENV")
    kept = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(dropped) and not key.lower().endswith("_proxy")
    }
    return {**kept, **more}


def run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
        check=False,
    )
    assert done.returncode == 0, f"{command} exited {done.returncode}:\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    """The archive, built from this checkout, unpacked and installed with no network."""
    home = tmp_path_factory.mktemp("offline")
    built = run(
        [sys.executable, str(REPO / "offline" / "dist.py"), "archive", "--output", str(home)],
        REPO,
        dict(os.environ),
    )
    with tarfile.open(built.strip()) as archive:
        archive.extractall(home / "unpacked", filter="data")
    (folder,) = (home / "unpacked").iterdir()
    run([str(folder / "install.sh")], home, clean_environ(PYTHON=sys.executable, **NO_NETWORK))
    return Installation(folder, folder / "venv")


@dataclass(frozen=True)
class Production:
    """The installation's settings for one ledger in a folder of its own."""

    installation: Installation
    home: Path
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environ(self) -> dict[str, str]:
        return clean_environ(LEDGER_ENV_FILE=str(self.home / "ledger.env"))

    def ledger(self, *args: str) -> str:
        """``ledger.sh ARGS`` (the installed ``ledger`` with these settings); its stdout."""
        script = str(self.installation.folder / "ledger.sh")
        return run([script, *args], self.home, self.environ())


@pytest.fixture
def production(installed: Installation, tmp_path: Path) -> Production:
    """A ledger in production, its keys made by the archive's make-keys.sh, the 2021 plan
    seeded: all with the installed ``ledger``, working in a folder outside the checkout."""
    run([str(installed.folder / "make-keys.sh"), str(tmp_path / "keys")], tmp_path, clean_environ())
    settings = {
        "LEDGER_ENV": "production",
        "LEDGER_DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite'}",
        "LEDGER_PERSONAL_DATA_KEY_FILE": str(tmp_path / "keys" / "ledger.key"),
        "LEDGER_SIGNING_KEY_FILE": str(tmp_path / "keys" / "ledger-signing.pem"),
        "LEDGER_PORT": str(port_outside_ephemeral_range()),
        # traced to a collector that is not there: the exporter, loaded from the archive's
        # wheels, gives each batch up, and no request waits for it
        "LEDGER_TRACING": "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT": CLOSED_PORT,
        "OTEL_EXPORTER_OTLP_TIMEOUT": "1",
    }
    lines = [f"{key}={value}" for key, value in settings.items()]
    (tmp_path / "ledger.env").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ledger = Production(installed, tmp_path, int(settings["LEDGER_PORT"]))
    ledger.ledger("seed", "changxing-2021")
    return ledger


@pytest.fixture
def served(production: Production) -> Iterator[httpx.Client]:
    """``ledger.sh serve`` running, ready; a client of it."""
    command = [str(production.installation.folder / "ledger.sh"), "serve"]
    log = production.home / "serve.log"
    with (
        log.open("w") as output,
        subprocess.Popen(
            command, cwd=production.home, env=production.environ(), stdout=output, stderr=output
        ) as process,
        httpx.Client(base_url=production.url, timeout=30, trust_env=False) as client,
    ):
        try:
            wait_ready(client, process, log)
            yield client
        finally:
            process.terminate()  # ledger.sh execs the installed `ledger`: this stops it
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_ready(client: httpx.Client, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, f"ledger serve exited: {log.read_text()}"
        try:
            if client.get("/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        time.sleep(0.1)
    pytest.fail(f"not ready within {READY_SECONDS} s: {log.read_text()}")


def built_pages() -> dict[str, bytes]:
    """What ``make install`` built into api/web/dist, by file name."""
    return {p.name: p.read_bytes() for p in PAGES.iterdir() if not p.name.startswith(".")}


def test_the_installed_package_carries_the_built_pages_and_nothing_else_of_api_web(
    installed: Installation,
) -> None:
    python = str(installed.venv / "bin" / "python")
    found = run(  # in the unpacked archive's folder: no `api` there but the installed one
        [python, "-c", "import api.http.served_pages as p; print(p.BUILT)"],
        installed.folder,
        clean_environ(),
    )
    pages = Path(found.strip())
    assert pages.is_relative_to(installed.venv)
    assert {p.name: p.read_bytes() for p in pages.iterdir()} == built_pages()
    assert [p.name for p in pages.parent.iterdir()] == ["dist"]  # no node_modules, no sources


def test_the_installed_service_serves_the_pages_and_answers_graphql_in_production(
    production: Production, served: httpx.Client, page: Page
) -> None:
    assert served.get("/readyz").json() == {"status": "ready"}
    assert "ledger_log_head_position" in served.get("/metrics").text
    pages = built_pages()
    for path, shell in (("/", "app.html"), ("/screen", "screen.html")):
        response = served.get(path, headers={"accept": "text/html"})
        assert (path, response.status_code, response.content) == (path, 200, pages[shell])
    for name, content in pages.items():
        response = served.get(f"/assets/{name}")
        assert (name, response.status_code, response.content) == (name, 200, content)
    viewer = production.ledger("token", "create", "--role", "viewer", "--name", "big screen")
    answer = served.post(
        "/graphql",
        json={"query": "{ me { role } legacyTargets { year } }"},
        headers={"authorization": f"Bearer {viewer.strip()}"},
    )
    assert answer.json() == {
        "data": {
            "me": {"role": "VIEWER"},
            "legacyTargets": [{"year": 2021}, {"year": 2022}, {"year": 2025}],
        }
    }
    page.goto(f"{production.url}/")
    expect(page.get_by_label("访问令牌")).to_be_visible(timeout=20_000)
