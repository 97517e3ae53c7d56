"""Sealing complainants' personal data with AES-GCM, and opening or masking it on read.

The key (32 bytes) comes from ``LEDGER_PERSONAL_DATA_KEY`` (base64), or else from the
key file ``LEDGER_PERSONAL_DATA_KEY_FILE`` (default ``ledger.key`` in the working
directory, made on first use, readable by its owner only). It is never in the
repository, and never in the database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain.errors import OperationalFailure

PREFIX = "sealed:v1:"
KEY_BYTES = 32
NONCE_BYTES = 12


class PersonalDataKeyError(OperationalFailure):
    """The personal-data key is missing or malformed."""


class AesSealer:
    """Seals text as ``sealed:v1:<base64 of nonce and ciphertext>``."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise PersonalDataKeyError(f"the personal-data key must be {KEY_BYTES} bytes")
        self._aead = AESGCM(key)
        self._mac_key = hmac.new(key, b"ledger:fingerprint", hashlib.sha256).digest()

    def fingerprint(self, text: str) -> str:
        """A keyed digest of ``text`` (HMAC-SHA256): comparable, but no guessing what
        personal data went into it without the key."""
        return hmac.new(self._mac_key, text.encode(), hashlib.sha256).hexdigest()

    def seal(self, text: str) -> str:
        if not text:
            return ""
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, text.encode(), None)
        return PREFIX + base64.b64encode(nonce + sealed).decode()

    def open(self, text: str) -> str:
        """The text sealed in ``text`` (text recorded before sealing is returned as is);
        ``ValueError`` when it cannot be opened with this key."""
        if not text.startswith(PREFIX):
            return text
        try:
            raw = base64.b64decode(text[len(PREFIX) :], validate=True)
            return self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()
        except (binascii.Error, InvalidTag, UnicodeDecodeError) as error:
            raise ValueError("sealed with another key, or damaged") from error


def key_from(environ: Mapping[str, str], *, production: bool = False) -> bytes | None:
    """The key named by the environment, read and checked; None when its key file does not
    exist yet (``key_file_of`` makes it on first use). Nothing is written here. In
    production a key that is not there is an error: a fresh one would leave every name
    sealed under the real key unopenable."""
    given = environ.get("LEDGER_PERSONAL_DATA_KEY", "").strip()
    if given:
        return _decoded(given, "LEDGER_PERSONAL_DATA_KEY")
    path = key_path(environ)
    if path.exists():
        return _read_key(path)
    if production:
        raise PersonalDataKeyError(
            f"no personal-data key: {path} does not exist; in production set "
            "LEDGER_PERSONAL_DATA_KEY or LEDGER_PERSONAL_DATA_KEY_FILE to the ledger's key"
        )
    return None


def key_path(environ: Mapping[str, str]) -> Path:
    """The key file the environment names (default ``ledger.key``)."""
    return Path(environ.get("LEDGER_PERSONAL_DATA_KEY_FILE", "").strip() or "ledger.key")


def key_file_of(path: Path) -> bytes:
    """The key in ``path``, made there first if there is none yet (outside production)."""
    if not path.exists():
        _make_key_file(path)
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise PersonalDataKeyError(f"{path}: cannot read the personal-data key ({error})") from None
    return _decoded(text, str(path))


def new_key() -> str:
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def _make_key_file(path: Path) -> None:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # made meanwhile by another process
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(new_key() + "\n")


def _decoded(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise PersonalDataKeyError(f"{where}: the personal-data key must be base64") from None
    if len(key) != KEY_BYTES:
        raise PersonalDataKeyError(f"{where}: the personal-data key must be {KEY_BYTES} bytes")
    return key
