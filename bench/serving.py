"""The servers of one benchmark run, set up and torn down: this checkout's (``new``) and,
with ``--baseline-ref``, that commit's (``old``), each ready on its ledger with its office
tokens (bench/servers.py says which ledger and which copies)."""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

from servers import (
    Server,
    ServerError,
    Tree,
    check_out,
    copy_ledger,
    drop_copy,
    ledger_env,
    office_tokens,
    remove_checkout,
    run,
    seed_fresh,
    tail,
    this_tree,
)

READY_SECONDS = 1800.0
IDLE_SECONDS = 600.0


def serving_options(parser: argparse.ArgumentParser) -> None:
    """The options every service benchmark takes: which ledger, which keys, which baseline."""
    parser.add_argument(
        "--database-url",
        help="serve this ledger (it must hold events and read models; default: a fresh "
        "SQLite ledger with the 2021 plan seeded)",
    )
    parser.add_argument(
        "--key-dir",
        type=Path,
        help="the given ledger's keys: ledger.key and signing.key (default: "
        "LEDGER_PERSONAL_DATA_KEY_FILE and LEDGER_SIGNING_KEY_FILE)",
    )
    parser.add_argument(
        "--baseline-ref",
        metavar="GITREF",
        help="serve the same ledger from this commit too, side by side (each on its own copy)",
    )
    parser.add_argument(
        "--ready-timeout",
        type=float,
        default=READY_SECONDS,
        help=f"seconds to wait for /readyz, rebuilds included ({READY_SECONDS:.0f})",
    )


class Serving:
    """The servers of a run (``servers``: old first, if any, then new) and their tokens (by
    label), in a temporary directory; everything the run made is removed on leaving."""

    def __init__(self, args: argparse.Namespace, tokens: int, prefix: str) -> None:
        self.args, self.token_count = args, tokens
        self.workdir = Path(tempfile.mkdtemp(prefix=prefix))
        self.trees: list[Tree] = []
        self.copies: list[str] = []
        self.servers: list[Server] = []
        self.tokens: dict[str, list[str]] = {}
        self.ledger = args.database_url or "a fresh SQLite ledger (2021 plan)"

    def __enter__(self) -> Serving:
        try:
            self._set_up()
        except BaseException:
            self._tear_down(failed=True)
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._tear_down(failed=isinstance(error, ServerError))

    def _set_up(self) -> None:
        new = this_tree()
        if self.args.baseline_ref:
            self.trees.append(check_out(self.args.baseline_ref, self.workdir))
        self.trees.append(new)
        print("bench: " + ", ".join(f"{tree.label}: {tree.source}" for tree in self.trees))
        if self.args.database_url:
            env = ledger_env(self.args.database_url, self.args.key_dir)
            url = env["LEDGER_DATABASE_URL"]
        else:
            url, env = seed_fresh(new, self.workdir)
        for tree in self.trees:
            served = url
            if len(self.trees) > 1:
                served = copy_ledger(url, self.workdir, tree.label)
                self.copies.append(served)
            tree_env = {**env, "LEDGER_DATABASE_URL": served}
            self.tokens[tree.label] = office_tokens(tree, tree_env, self.token_count)
            log = self.workdir / f"serve-{tree.label}.log"
            self.servers.append(Server(tree, tree_env, log))
            # projections rebuilt (versions it does not know) and caught up in a process of
            # their own: the server then starts as after any restart, and its memory is that
            # of serving, not what a rebuild of a million events left behind
            started = time.monotonic()
            run([*tree.ledger, "project", "--once", "--no-timed-acts"], cwd=tree.root, env=tree_env)
            print(
                f"bench: {tree.label}: projections up to date in {time.monotonic() - started:.0f} s"
            )
        for server in self.servers:
            server.start()
        for server in self.servers:
            seconds = server.wait_until_ready(self.args.ready_timeout)
            print(f"bench: {server.label}: ready {seconds:.1f} s after it started")
        for server in self.servers:
            idle = server.wait_until_idle(timeout=IDLE_SECONDS)
            said = "still busy" if idle is None else f"idle {idle:.1f} s"
            print(f"bench: {server.label}: {said} after /readyz (its own work, as the log's check)")

    def _tear_down(self, failed: bool) -> None:
        for server in self.servers:
            if failed:
                print(f"bench: {server.label}'s log:\n{tail(server.log)}", file=sys.stderr)
            server.stop()
        for copy in self.copies:
            try:
                drop_copy(copy)
            except ServerError as error:
                print(f"bench: {error}", file=sys.stderr)
        for tree in self.trees[:-1]:  # the baseline's worktree; never this checkout
            try:
                remove_checkout(tree)
            except ServerError as error:
                print(f"bench: {error}", file=sys.stderr)
        with contextlib.suppress(OSError):
            shutil.rmtree(self.workdir)
