"""Where the signing keys live: PEM files outside the database.

LEDGER_SIGNING_KEY_FILE       the Ed25519 private key (PKCS#8 PEM, as
                              ``openssl genpkey -algorithm ed25519`` writes it); default
                              ``ledger-signing.pem`` in the working directory. Outside
                              production it is made, readable by its owner only, when a
                              ledger first writes; reading the settings never writes it.
                              In production a writer without it stops with one line.
LEDGER_SIGNING_PUBLIC_KEYS    optional: a file of PEM public keys whose signatures are
                              also taken: earlier keys after a rotation, or, on a machine
                              that only verifies, the ledger's public key alone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from domain.signing import SigningKeyError

DEFAULT_KEY_FILE = Path("ledger-signing.pem")
PUBLIC_BLOCK = re.compile(
    r"-----BEGIN PUBLIC KEY-----\s.*?-----END PUBLIC KEY-----", re.DOTALL | re.ASCII
)


def signing_key_path(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("LEDGER_SIGNING_KEY_FILE", "").strip() or DEFAULT_KEY_FILE)


def read_private_key(path: Path) -> Ed25519PrivateKey | None:
    """The private key in ``path``; None when there is no such file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise SigningKeyError(f"{path}: cannot read the signing key ({error.strerror})") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise SigningKeyError(
            f"{path}: not an unencrypted PEM private key (make one with "
            "`openssl genpkey -algorithm ed25519 -out FILE`)"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path}: the signing key must be an Ed25519 key")
    return key


def private_key_file_of(path: Path) -> Ed25519PrivateKey:
    """The private key in ``path``, made there first if there is none yet."""
    key = read_private_key(path)
    if key is not None:
        return key
    _make_key_file(path)
    made = read_private_key(path)
    if made is None:
        raise SigningKeyError(f"{path}: the signing key file vanished as it was made")
    return made


def read_public_keys(environ: Mapping[str, str]) -> tuple[Ed25519PublicKey, ...]:
    """The public keys ``LEDGER_SIGNING_PUBLIC_KEYS`` names (none when it is unset)."""
    text = environ.get("LEDGER_SIGNING_PUBLIC_KEYS", "").strip()
    if not text:
        return ()
    path = Path(text)
    try:
        content = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        raise SigningKeyError(f"LEDGER_SIGNING_PUBLIC_KEYS: cannot read {path} ({error})") from None
    blocks = PUBLIC_BLOCK.findall(content)
    if not blocks:
        raise SigningKeyError(f"LEDGER_SIGNING_PUBLIC_KEYS: {path} holds no PEM public key")
    return tuple(_public(block, path, n) for n, block in enumerate(blocks, 1))


def _public(block: str, path: Path, number: int) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(block.encode("ascii"))
    except ValueError:
        raise SigningKeyError(f"{path}: public key {number} is not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"{path}: public key {number} is not an Ed25519 key")
    return key


def raw_private(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def public_from_pem(pem: str) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem.encode("ascii"))
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError("a public signing key must be an Ed25519 key")
    return key


def new_private_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def write_new_key(path: Path) -> None:
    """Write a new private key to ``path``, owner-readable only; never over a file."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise SigningKeyError(
            f"{path} already exists: a signing key is never overwritten"
        ) from None
    except OSError as error:
        raise SigningKeyError(f"{path}: cannot write the signing key ({error.strerror})") from None
    with os.fdopen(descriptor, "wb") as out:
        out.write(new_private_pem())


def _make_key_file(path: Path) -> None:
    try:
        write_new_key(path)
    except SigningKeyError:
        if not path.exists():
            raise  # else made meanwhile by another process
