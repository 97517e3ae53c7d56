"""Personal data (complainants' names and phone numbers) is sealed before it is recorded.

The ledger is given a ``Sealer`` (the service's is AES-GCM with a key from the
environment); the events hold only what it returns. Nothing in the domain opens
sealed text: the API does, for the roles allowed to read it, and records each read.
"""

from __future__ import annotations

from typing import Protocol

PERSONAL_FIELDS = ("complainant_name", "complainant_phone")


class Sealer(Protocol):
    def seal(self, text: str) -> str:
        """``text`` made unreadable without the key ("" stays "")."""
        ...


class Unsealed:
    """Records personal data as given: for tests and tools that hold no key. The
    service never uses it (``api.settings.open_ledger`` always gives a real sealer)."""

    def seal(self, text: str) -> str:
        return text
