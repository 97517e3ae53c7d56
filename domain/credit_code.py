"""The unified social credit code (统一社会信用代码) of GB 32100-2015: its 18-character
shape and its check character.

The code is 18 characters from a set of 31 (the ten digits and the capital letters but
I, O, S, V and Z): 1 registering authority (登记管理部门代码), 1 kind of entity
(机构类别代码), 6 digits of the administrative division (登记管理机关行政区划码),
9 characters of the entity's identifier (主体标识码, its organisation code) and 1 check
character. Each of the first 17 characters counts as its place in the set (0-30) times
the weight of its position, 3 to the power of the position (counted from 0) modulo 31;
the check character is the one at place 31 minus the sum modulo 31 (31 itself: 0).
The organisation code's own check character (GB 11714) is not checked here.
"""

from __future__ import annotations

from domain.errors import ValidationError

CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The code's 31 characters, each counting as its place here."""
WEIGHTS = tuple(pow(3, position, 31) for position in range(17))
"""1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28."""
LENGTH = 18


def check_character(first_seventeen: str) -> str:
    """The check character of a code whose first 17 characters are given."""
    total = sum(CHARACTERS.index(c) * w for c, w in zip(first_seventeen, WEIGHTS, strict=True))
    return CHARACTERS[(31 - total % 31) % 31]


def checked_credit_code(field: str, text: str) -> str:
    """``text`` as a credit code (trimmed, capitals), or a ``ValidationError`` on ``field``
    saying what is wrong with it: its length, a character outside the set, a division
    code not of digits, or a check character that does not match."""
    code = text.strip().upper()
    if len(code) != LENGTH:
        raise ValidationError(field, f"a credit code has {LENGTH} characters, not {len(code)}")
    stray = [c for c in code if c not in CHARACTERS]
    if stray:
        raise ValidationError(field, f"{stray[0]!r} is not a character of a credit code")
    if not code[2:8].isdigit():
        raise ValidationError(field, "characters 3 to 8 (the division code) are digits")
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(field, f"the check character is {expected!r}, not {code[17]!r}")
    return code
