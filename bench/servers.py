"""What the service benchmarks serve (bench/service.py, bench/live.py): a ledger, copies of
it, and ``ledger serve`` from this checkout or from another commit's.

The ledger is one given by its URL (``--database-url``, with the keys it was written with:
``--key-dir`` holding ledger.key and signing.key, or LEDGER_PERSONAL_DATA_KEY_FILE and
LEDGER_SIGNING_KEY_FILE in the environment), served as it is; without one, a fresh SQLite
file in a temporary directory with the 2021 plan seeded. The bench itself writes only its
office tokens (``AccessToken`` events) and, over HTTP, the mutations it measures.

With ``--baseline-ref REF`` a second server runs beside this checkout's: REF checked out as
a detached git worktree in the temporary directory, ``make install`` run there (its own
.venv). Then each server serves a copy of its own, for each rebuilds on start the
projections whose versions it does not know: an SQLite file is copied (with its -wal and
-shm), a PostgreSQL schema copied by ``pg_dump | psql`` under a new name and dropped at
the end. The given ledger is then only read.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy.engine import URL, make_url

ROOT = Path(__file__).resolve().parent.parent
STOP_SECONDS = 10.0
KEY_VARIABLES = ("LEDGER_PERSONAL_DATA_KEY_FILE", "LEDGER_SIGNING_KEY_FILE")


class ServerError(RuntimeError):
    """The server answered with an HTTP error or a GraphQL error, or could not be set up:
    the run stops."""


@dataclass(frozen=True)
class Tree:
    """A checkout the service is served from, with the virtualenv its ``ledger`` runs in."""

    label: str
    root: Path
    bin: Path
    source: str

    @property
    def ledger(self) -> list[str]:
        script = self.bin / "ledger"
        if script.exists():
            return [str(script)]
        return [str(self.bin / "python"), "-m", "api.cli"]


def screen_subscription(name: str) -> str:
    """The big screen's subscription ``name`` (api/web/src/screen/queries.js), as it sends it."""
    source = ROOT / "api" / "web" / "src" / "screen" / "queries.js"
    found = re.search(rf"export const {name} = `(subscription .*?)`;", source.read_text(), re.S)
    if found is None:
        raise ServerError(f"no subscription {name} in {source}")
    return found.group(1)


def this_tree() -> Tree:
    """This checkout, run by its own .venv (else by the interpreter running the bench: one
    of another checkout's .venv would serve that checkout's code, installed editable)."""
    commit = run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]).strip()
    changed = run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"])
    source = f"this checkout ({commit}{', with uncommitted changes' if changed else ''})"
    own = ROOT / ".venv" / "bin"
    return Tree(
        "new", ROOT, own if (own / "ledger").exists() else Path(sys.executable).parent, source
    )


def check_out(ref: str, workdir: Path) -> Tree:
    """``ref`` as a detached worktree under ``workdir``, installed (``make install``)."""
    path = workdir / f"baseline-{re.sub(r'[^A-Za-z0-9._-]', '_', ref)}"
    run(["git", "-C", str(ROOT), "worktree", "add", "--quiet", "--detach", str(path), ref])
    commit = run(["git", "-C", str(path), "rev-parse", "--short", "HEAD"]).strip()
    started = time.monotonic()
    log = workdir / "baseline-install.log"
    with log.open("wb") as out:
        done = subprocess.run(
            ["make", "install"], cwd=path, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    if done.returncode != 0:
        raise ServerError(f"make install of {ref} failed:\n{tail(log)}")
    print(f"bench: {ref} checked out and installed in {time.monotonic() - started:.0f} s")
    return Tree("old", path, path / ".venv" / "bin", f"{ref} ({commit})")


def remove_checkout(tree: Tree) -> None:
    run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree.root)])


def run(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    """Run ``command``; its standard output; ServerError with its output if it fails."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ServerError(f"{' '.join(command[:4])} failed ({done.returncode}): {done.stderr}")
    output: str = done.stdout
    return output


def ledger_env(url: str, key_dir: Path | None) -> dict[str, str]:
    """The environment ``ledger`` runs in for the ledger at ``url``: its keys from
    ``key_dir`` or from this environment (a ledger written with other keys is unreadable).
    Paths are made absolute: a baseline's server runs in its own directory."""
    env = {**os.environ, "LEDGER_DATABASE_URL": absolute(url)}
    if key_dir is not None:
        env["LEDGER_PERSONAL_DATA_KEY_FILE"] = str(key_dir / "ledger.key")
        env["LEDGER_SIGNING_KEY_FILE"] = str(key_dir / "signing.key")
    missing = [name for name in KEY_VARIABLES if not env.get(name)]
    if missing:
        raise ServerError(f"a given ledger needs its keys: --key-dir, or {' and '.join(missing)}")
    for name in KEY_VARIABLES:
        env[name] = str(Path(env[name]).resolve())
        if not Path(env[name]).is_file():
            raise ServerError(f"{name}: no file {env[name]}")
    return env


def absolute(url: str) -> str:
    """``url`` with an SQLite file's path made absolute (and checked to be there)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return url
    path = Path(str(parsed.database)).resolve()
    if not path.is_file():
        raise ServerError(f"no SQLite ledger at {path}")
    return str(parsed.set(database=str(path)).render_as_string(hide_password=False))


def seed_fresh(tree: Tree, workdir: Path) -> tuple[str, dict[str, str]]:
    """A fresh SQLite ledger in ``workdir`` with the 2021 plan: its URL and environment."""
    env = {
        **os.environ,
        "LEDGER_DATABASE_URL": f"sqlite:///{workdir / 'ledger.sqlite'}",
        "LEDGER_PERSONAL_DATA_KEY_FILE": str(workdir / "ledger.key"),
        "LEDGER_SIGNING_KEY_FILE": str(workdir / "signing.key"),
    }
    print(f"bench: {run([*tree.ledger, 'seed', 'changxing-2021'], cwd=tree.root, env=env).strip()}")
    return env["LEDGER_DATABASE_URL"], env


def copy_ledger(url: str, workdir: Path, name: str) -> str:
    """A copy of the ledger at ``url`` for one server: its URL."""
    parsed = make_url(url)
    started = time.monotonic()
    if parsed.get_backend_name() == "sqlite":
        source = Path(str(parsed.database))
        target = workdir / f"{name}.sqlite"
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{source}{suffix}").exists():
                shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
        copy = str(parsed.set(database=str(target)).render_as_string(hide_password=False))
    else:
        schema = schema_of(parsed)
        copied = f"{schema}_{name}_{os.getpid()}"[:63]
        copy_schema(parsed, schema, copied)
        copy = str(
            parsed.update_query_dict({"schema": copied}).render_as_string(hide_password=False)
        )
    print(f"bench: copied the ledger for the {name} server in {time.monotonic() - started:.0f} s")
    return copy


def schema_of(url: URL) -> str:
    value = url.query.get("schema", "public")
    return value if isinstance(value, str) else value[0]


def libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """psql's and pg_dump's connection options for ``url``, and their environment."""
    options = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432)]
    options += ["-U", url.username or "postgres", "-d", url.database or "postgres"]
    env = {**os.environ, "PGPASSWORD": url.password or ""} if url.password else dict(os.environ)
    return options, env


def copy_schema(url: URL, schema: str, copied: str) -> None:
    """``schema`` dumped, renamed ``copied`` wherever its name is a word of its own (perl,
    for sed has no look-around), and restored."""
    options, env = libpq(url)
    psql = ["psql", "--quiet", "--set", "ON_ERROR_STOP=1", *options]
    run([*psql, "-c", f"DROP SCHEMA IF EXISTS {copied} CASCADE"], env=env)
    dump = subprocess.Popen(
        ["pg_dump", "--no-owner", "--no-privileges", f"--schema={schema}", *options],
        stdout=subprocess.PIPE,
        env=env,
    )
    rename = subprocess.Popen(  # the names from the environment: perl reads them literally
        ["perl", "-pe", r"s/(?<![\w\$])\Q$ENV{FROM}\E(?![\w\$])/$ENV{TO}/g"],
        stdin=dump.stdout,
        stdout=subprocess.PIPE,
        env={**env, "FROM": schema, "TO": copied},
    )
    assert dump.stdout is not None and rename.stdout is not None
    dump.stdout.close()  # perl holds it now: pg_dump sees a closed pipe if perl ends
    restored = subprocess.run(
        psql, stdin=rename.stdout, capture_output=True, text=True, env=env, check=False
    )
    rename.stdout.close()
    if dump.wait() != 0 or rename.wait() != 0 or restored.returncode != 0:
        raise ServerError(f"copying schema {schema} to {copied} failed: {restored.stderr[-2000:]}")


def drop_copy(url: str) -> None:
    """Drop a PostgreSQL schema the bench copied (an SQLite copy goes with the directory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return
    options, env = libpq(parsed)
    drop = f"DROP SCHEMA IF EXISTS {schema_of(parsed)} CASCADE"
    run(["psql", "--quiet", *options, "-c", drop], env=env)


TOKEN_SCRIPT = """
import os, sys
from api.bootstrap import open_ledger
from api.cli.tokens import create_token
from api.settings import Settings
from domain.meta import Role
ledger = open_ledger(Settings.from_environ(dict(os.environ)), create=False)
try:
    for i in range(int(sys.argv[1])):
        print(create_token(ledger, role=Role.OFFICE, unit=None, name=f"bench client {i}").secret)
finally:
    ledger.close()
"""


def office_tokens(tree: Tree, env: dict[str, str], count: int) -> list[str]:
    """``count`` office tokens (each has its own rate limit), issued by ``tree``'s code."""
    python = str(tree.bin / "python")
    output = run([python, "-c", TOKEN_SCRIPT, str(count)], cwd=tree.root, env=env)
    return output.split()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class Server:
    """``ledger serve`` of one tree on one ledger, on a free loopback port."""

    def __init__(self, tree: Tree, env: dict[str, str], log: Path) -> None:
        self.tree, self.env, self.log = tree, env, log
        self.label = tree.label
        self.base = f"http://127.0.0.1:{free_port()}"
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0

    @property
    def graphql_url(self) -> str:
        return f"{self.base}/graphql"

    @property
    def ws_url(self) -> str:
        return f"ws{self.base.removeprefix('http')}/graphql"

    def start(self) -> None:
        port = self.base.rsplit(":", 1)[1]
        self.started_at = time.monotonic()
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [*self.tree.ledger, "serve", "--host", "127.0.0.1", "--port", port],
                cwd=self.tree.root,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def wait_until_ready(self, timeout: float) -> float:
        """Seconds from the start until ``/readyz`` answers 200 (the projections caught up,
        those whose versions changed rebuilt)."""
        assert self.process is not None
        started = self.started_at
        last = "no answer"
        with httpx.Client(timeout=5.0) as http:
            while time.monotonic() - started < timeout:
                if self.process.poll() is not None:
                    raise ServerError(
                        f"{self.label}: ledger serve exited ({self.process.returncode}):\n"
                        + tail(self.log)
                    )
                try:
                    answer = http.get(f"{self.base}/readyz")
                except httpx.TransportError as error:
                    last = f"{type(error).__name__}: {error}"
                else:
                    if answer.status_code == 200:
                        return time.monotonic() - started
                    last = f"HTTP {answer.status_code}: {answer.text[:300]}"
                time.sleep(0.2)
        raise ServerError(f"{self.label}: not ready after {timeout:.0f} s ({last})")

    def check_running(self) -> None:
        if self.process is None or self.process.poll() is not None:
            code = None if self.process is None else self.process.returncode
            raise ServerError(f"{self.label}: ledger serve exited ({code}):\n{tail(self.log)}")

    def rss_mib(self) -> float:
        """The server process's resident memory (VmRSS), MiB."""
        assert self.process is not None
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kib = next(int(line.split()[1]) for line in status.splitlines() if line[:6] == "VmRSS:")
        return kib / 1024

    def cpu_seconds(self) -> float:
        """The server process's CPU time so far (user and system)."""
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def wait_until_idle(self, busy: float = 0.1, timeout: float = 120.0) -> float | None:
        """Seconds until the server spends less than ``busy`` of a core over half a second
        (what it does on its own, such as verifying the log after a start, or what a phase
        left it doing, is over before the next phase); None if still busy after ``timeout``."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            before = self.cpu_seconds()
            time.sleep(0.5)
            if self.cpu_seconds() - before < busy * 0.5:
                return time.monotonic() - started
        return None

    def metrics(self) -> str:
        """``GET /metrics``'s text (with LEDGER_METRICS_TOKEN's bearer token, if set)."""
        token = self.env.get("LEDGER_METRICS_TOKEN", "").strip()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer = httpx.get(f"{self.base}/metrics", headers=headers, timeout=30.0)
        if answer.status_code != 200:
            raise ServerError(f"GET /metrics answered {answer.status_code}")
        return answer.text

    def stop(self) -> None:
        """Terminate the server; kill it if it has not stopped after STOP_SECONDS."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            print(f"bench: {self.label}: ledger serve ignored SIGTERM; killing it")
            self.process.kill()
            self.process.wait()


METRIC_WORDS = re.compile(r"projection|lag|position|subscri|live|websocket", re.IGNORECASE)
LIVE_WORDS = re.compile(r"subscri|live|websocket", re.IGNORECASE)


def metric_lines(server: Server, words: re.Pattern[str] = METRIC_WORDS) -> list[str]:
    """The figures of ``/metrics`` whose names have one of ``words`` (by default those on the
    projections' lag and positions and on the live feeds; of a histogram its count and sum,
    not its buckets), or one line saying what it answered instead (404 from a version
    without it)."""
    try:
        text = server.metrics()
    except (ServerError, httpx.HTTPError) as error:
        return [f"{error} (no figures from it)"]
    names = [(line.split("{", 1)[0].split(" ", 1)[0], line) for line in text.splitlines()]
    return [
        line
        for name, line in names
        if line[:1] != "#" and words.search(name) and not name.endswith(("_bucket", "_created"))
    ]
