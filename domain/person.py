"""A person the ledger names in an act, with the post they hold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from uuid import UUID

from domain.errors import ValidationError


@dataclass(frozen=True)
class Person:
    """A person summoned to an interview (约谈对象): their name, their post (职务) and, where
    it is not the unit concerned, the unit they serve in.

    ``post`` is None only for a person recorded as free text (interviews scheduled before
    people had posts, or through the deprecated ``interviewee`` input): the text is kept
    as ``name``, as it was given.
    """

    name: str
    post: str | None
    unit: UUID | None = None

    @classmethod
    def named_as(cls, text: str) -> Person:
        """A person recorded as free text: the text as the name, no post known."""
        return cls(name=text, post=None)


def checked_people(field: str, people: Sequence[Person]) -> list[Person]:
    """``people`` trimmed, each once, in order; a ``ValidationError`` naming ``field`` when
    there is none or one lacks a name or a post."""
    if not people:
        raise ValidationError(field, "name at least one person")
    checked: list[Person] = []
    for position, person in enumerate(people, start=1):
        name, post = person.name.strip(), (person.post or "").strip()
        if not name or not post:
            raise ValidationError(field, f"entry {position} needs a name and a post")
        checked.append(replace(person, name=name, post=post))
    return list(dict.fromkeys(checked))
