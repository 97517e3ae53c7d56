"""A loopback port for a server that is not handed its socket (a child process) or that
lets go of its socket and takes it again (a restart): one below the range the system hands
out for port 0, where every other server of the suite takes its port, so that no other test
can be given it meanwhile; tried free before it is returned."""

from __future__ import annotations

import os
import random
import socket
from collections.abc import Collection
from pathlib import Path

RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")
LOWEST = 20000


def first_ephemeral_port() -> int:
    try:
        return int(RANGE_FILE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


def port_outside_ephemeral_range(handed_out: Collection[int] = ()) -> int:
    """A free port from LOWEST up to the system's ephemeral range (per worker its own
    random order, so two workers rarely try the same one; a taken one is skipped, and so
    is one ``handed_out`` to a server not listening on it yet)."""
    candidates = list(range(LOWEST, first_ephemeral_port()))
    random.Random(os.getpid()).shuffle(candidates)
    for port in (c for c in candidates if c not in handed_out):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free loopback port from {LOWEST} to the ephemeral range")
