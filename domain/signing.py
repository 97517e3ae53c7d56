"""The ledger signs what it writes: Ed25519 over each transaction's rows.

A row in the events table that no signature covers was not written by the ledger
(someone with the database's password inserted it); a signature that does not match
its rows means they changed after the ledger wrote them. The private key lives in a
file outside the database; checking needs only the public key, so an inspector can
verify a copy of the database without being able to sign anything.

Rows already in a log when signing starts are covered by one signed checkpoint: the
seal chain's value at the last of them (``checkpoint_message``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from domain.errors import OperationalFailure
from domain.log_rows import StoredRow, row_bytes

TRANSACTION = "transaction"
CHECKPOINT = "checkpoint"


class SigningKeyError(OperationalFailure):
    """A signing key is missing, unreadable or not an Ed25519 key."""


def key_id_of(public: Ed25519PublicKey) -> str:
    """A short name of a public key: the first 16 hex digits of SHA-256 of its raw bytes."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def transaction_content(rows: Sequence[StoredRow]) -> bytes:
    """What a transaction's signature vouches for: each row's position and the SHA-256
    of its stored bytes, in position order, so that each row can be checked on its own."""
    return b"".join(
        row.position.to_bytes(8, "big", signed=True) + hashlib.sha256(row_bytes(row)).digest()
        for row in rows
    )


def row_digest(row: StoredRow) -> bytes:
    return hashlib.sha256(row_bytes(row)).digest()


def listed_rows(content: bytes) -> dict[int, bytes]:
    """The positions a transaction's content lists, each with its row's digest."""
    entry = 8 + 32
    return {
        int.from_bytes(content[i : i + 8], "big", signed=True): content[i + 8 : i + entry]
        for i in range(0, len(content) - entry + 1, entry)
    }


GENESIS_LINK = bytes(32)
"""The ``previous`` of the first signature record."""


def link_of(record: Signature) -> bytes:
    """What the next signature record names as its ``previous``: the records form one
    chain, so a record removed (with its rows) or slipped in breaks it."""
    return hashlib.sha256(record.signature).digest()


def _message(record: Signature) -> bytes:
    """What a record's signature is over: every field but the signature itself, so no
    field can be changed, nor a record copied with other content, unseen."""
    head = f"ledger-{record.kind}:v2:{record.first}:{record.last}:{record.key_id}:".encode()
    return b"".join((head, record.previous, len(record.content).to_bytes(8, "big"), record.content))


@dataclass(frozen=True)
class Signature:
    """One signature record: a transaction's rows (``first``..``last``; ``content``
    lists each with its digest), or a checkpoint of the chain at ``last`` (``content``
    is the chain's value there; ``first`` is 1). ``previous`` links it to the record
    before it (``link_of``); ``number`` is its place in the table (None: not stored yet)."""

    kind: str
    first: int
    last: int
    key_id: str
    signature: bytes
    content: bytes
    previous: bytes = GENESIS_LINK
    number: int | None = None


@dataclass(frozen=True)
class MalformedRecord:
    """A row of the signatures table the ledger did not write in that form."""

    number: int
    position: int
    problem: str


class RowSigner:
    """Signs with the private key; knows its public key."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private
        self.public = private.public_key()
        self.key_id = key_id_of(self.public)

    def sign_transaction(self, rows: Sequence[StoredRow], previous: bytes) -> Signature:
        if not rows:
            raise ValueError("a transaction without rows has nothing to sign")
        content = transaction_content(rows)
        first, last = rows[0].position, rows[-1].position
        return self._signed(
            Signature(TRANSACTION, first, last, self.key_id, b"", content, previous)
        )

    def sign_checkpoint(self, position: int, chain: bytes, previous: bytes) -> Signature:
        return self._signed(Signature(CHECKPOINT, 1, position, self.key_id, b"", chain, previous))

    def _signed(self, unsigned: Signature) -> Signature:
        return replace(unsigned, signature=self._private.sign(_message(unsigned)))

    def keyring(self, earlier: Iterable[Ed25519PublicKey] = ()) -> Keyring:
        return Keyring([self.public, *earlier])


class Keyring:
    """The public keys whose signatures are taken: the current one and earlier ones."""

    def __init__(self, keys: Iterable[Ed25519PublicKey]) -> None:
        self._keys = {key_id_of(key): key for key in keys}
        if not self._keys:
            raise SigningKeyError("no public signing key to check signatures with")

    @property
    def key_ids(self) -> list[str]:
        return sorted(self._keys)

    def problem(self, record: Signature) -> str | None:
        """Why ``record`` is not a good signature by a key of this ring (None: it is)."""
        key = self._keys.get(record.key_id)
        if key is None:
            return f"signed by key {record.key_id}, which is not among the keys given"
        try:
            key.verify(record.signature, _message(record))
        except InvalidSignature:
            return "its signature record does not hold (it was forged or altered)"
        return None


NOT_SIGNED = "not signed: the ledger did not write this row"


@dataclass(frozen=True, order=True)
class RowProblem:
    position: int
    problem: str

    def __str__(self) -> str:
        return f"position {self.position}: {self.problem}"


class Vouchers:
    """What the good signatures say about stored rows: each row is vouched for, or named
    with what is wrong (not signed, altered since it was signed, or listed only by a
    signature that does not hold); a row the ledger signed and the log lacks is named
    as removed."""

    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring
        self._judged: dict[bytes, str | None] = {}

    def check(
        self,
        rows: Sequence[StoredRow],
        records: Iterable[Signature | MalformedRecord],
        span: tuple[int, int],
    ) -> tuple[int, list[RowProblem]]:
        """How many of ``rows`` are vouched for, and the problems of the others and of
        the positions from ``span[0]`` to ``span[1]`` signed but missing."""
        expected, refused = self._listed(records)
        vouched, found, present = 0, [], set()
        for row in rows:
            present.add(row.position)
            digest = expected.get(row.position)
            if digest is not None:
                if digest == row_digest(row):
                    vouched += 1
                else:
                    found.append(RowProblem(row.position, "altered: not the row the ledger signed"))
            elif row.position in refused:
                found.append(RowProblem(row.position, f"not vouched for: {refused[row.position]}"))
            else:
                found.append(RowProblem(row.position, NOT_SIGNED))
        first, last = span
        found += [
            RowProblem(p, "removed: the ledger signed a row here, the log has none")
            for p in sorted(expected)
            if first <= p <= last and p not in present
        ]
        return vouched, found

    def _listed(
        self, records: Iterable[Signature | MalformedRecord]
    ) -> tuple[dict[int, bytes], dict[int, str]]:
        expected: dict[int, bytes] = {}
        refused: dict[int, str] = {}
        conflicting: set[int] = set()
        for record in records:
            if not isinstance(record, Signature) or record.kind != TRANSACTION:
                continue
            problem = self._judge(record)
            for position, digest in listed_rows(record.content).items():
                if not record.first <= position <= record.last:
                    continue  # a record vouches only for positions within its own range
                if problem is not None:
                    refused.setdefault(position, problem)
                elif expected.setdefault(position, digest) != digest:
                    conflicting.add(position)
        for position in conflicting:  # two good signatures say different things of it
            expected.pop(position)
            refused[position] = "two good signatures say different things of it"
        for position in expected:  # a bad record listing it takes nothing from a good one
            refused.pop(position, None)
        return expected, refused

    def _judge(self, record: Signature) -> str | None:
        key = hashlib.sha256(_message(record) + record.signature).digest()
        if key not in self._judged:
            if len(self._judged) > 100_000:
                self._judged.clear()
            self._judged[key] = self.keyring.problem(record)
        return self._judged[key]
