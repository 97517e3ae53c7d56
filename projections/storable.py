"""Text bound for the read models, made storable on every database.

The ledger's commands refuse NUL, lone surrogates and other control characters
(``domain.text``), but a log may already hold such text (recorded before the check, or
written by hand). The read models must still take it: PostgreSQL refuses NUL in text
columns and in ``jsonb``, and neither database can store a lone surrogate (it has no
UTF-8 form). Every text value a projection writes passes through ``storable``, where
the two are replaced, visibly and the same way on both databases:

* NUL (U+0000) becomes U+2400 SYMBOL FOR NULL (``␀``);
* a lone surrogate (U+D800 to U+DFFF) becomes U+FFFD REPLACEMENT CHARACTER (``�``).

Every other character, other control characters included, is kept as it is. The log
itself is never changed: the text as recorded is read from it by position.
"""

from __future__ import annotations

import re
from typing import Any

NUL_SHOWN = "\u2400"
SURROGATE_SHOWN = "\ufffd"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _shown(found: re.Match[str]) -> str:
    return NUL_SHOWN if found.group() == "\x00" else SURROGATE_SHOWN


def storable_text(value: str) -> str:
    """``value`` with NUL and lone surrogates replaced (the same string if it has none)."""
    if value.isascii():  # O(1) in CPython: most ids, states and codes stop here
        return value.replace("\x00", NUL_SHOWN) if "\x00" in value else value
    return _UNSTORABLE.sub(_shown, value) if _UNSTORABLE.search(value) else value


def storable(value: Any) -> Any:
    """``value`` with every text in it (in lists and dicts too) made storable; other
    values as they are."""
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, list | tuple):
        return [storable(v) for v in value]
    if isinstance(value, dict):
        return {storable_text(str(k)): storable(v) for k, v in value.items()}
    return value
