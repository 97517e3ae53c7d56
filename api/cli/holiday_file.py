"""A year's holiday schedule as the office writes it down (TOML), read and checked.

    year = 2027
    source = "国务院办公厅关于2027年部分节假日安排的通知"

    [[holidays]]
    name = "春节"
    days_off = ["2027-02-06..2027-02-12"]      # a day, or a range FIRST..LAST
    working_days = ["2027-02-14"]              # weekend days worked in lieu (调休上班)

Every problem is named with the holiday and the value it is in; nothing is adopted
from a file that has one.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from domain.calendar import HolidaySchedule
from domain.errors import LedgerError

MAX_RANGE_DAYS = 31


class HolidayFileError(LedgerError):
    """The holiday file cannot be read, or does not describe a sound schedule."""


@dataclass(frozen=True)
class HolidayFile:
    """A schedule read from a file, with where it came from."""

    schedule: HolidaySchedule
    source: str
    digest: str
    """SHA-256 of the file's bytes, recorded with the adoption."""


def read_holiday_file(path: Path) -> HolidayFile:
    """The schedule in ``path``; ``HolidayFileError`` naming every problem if it is unsound."""
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise HolidayFileError(f"no holiday file {path}") from None
    except OSError as error:
        raise HolidayFileError(f"cannot read {path}: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise HolidayFileError(f"{path} is not valid TOML ({error})") from None
    problems: list[str] = []
    schedule = _schedule(data, problems)
    source = data.get("source")
    if not isinstance(source, str) or not source.strip():
        problems.append("source: name the notice the schedule comes from")
    if schedule is not None:
        problems += schedule.problems()
    if problems or schedule is None or not isinstance(source, str):
        raise HolidayFileError(f"{path}: " + "; ".join(problems))
    return HolidayFile(schedule, source.strip(), hashlib.sha256(raw).hexdigest())


def _schedule(data: dict[str, Any], problems: list[str]) -> HolidaySchedule | None:
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        problems.append("year: must be a whole number such as 2027")
        return None
    holidays = data.get("holidays")
    if not isinstance(holidays, list) or not holidays:
        problems.append("holidays: list each holiday as a [[holidays]] table")
        return None
    days_off: list[date] = []
    working_days: list[date] = []
    for number, holiday in enumerate(holidays, start=1):
        if not isinstance(holiday, dict):
            problems.append(f"holiday {number}: must be a table")
            continue
        name = str(holiday.get("name") or f"holiday {number}")
        unknown = set(holiday) - {"name", "days_off", "working_days"}
        problems += [f"{name}: unknown key {key!r}" for key in sorted(unknown)]
        days_off += _days(holiday.get("days_off"), f"{name}: days_off", problems, needed=True)
        working_days += _days(holiday.get("working_days"), f"{name}: working_days", problems)
    return HolidaySchedule(year, tuple(days_off), tuple(working_days))


def _days(value: Any, where: str, problems: list[str], *, needed: bool = False) -> list[date]:
    if value is None and not needed:
        return []
    if not isinstance(value, list) or (needed and not value):
        problems.append(f'{where}: must be a list of dates such as "2027-10-01..2027-10-07"')
        return []
    days: list[date] = []
    for entry in value:
        try:
            days += _expand(entry)
        except ValueError as error:
            problems.append(f"{where}: {entry!r} {error}")
    return days


def _expand(entry: Any) -> list[date]:
    """A date (TOML date or ISO text), or a range ``FIRST..LAST`` of them."""
    if isinstance(entry, datetime):
        raise ValueError("is a date-time, not a date")
    if isinstance(entry, date):
        return [entry]
    if not isinstance(entry, str):
        raise ValueError("is not a date")
    first_text, dots, last_text = entry.partition("..")
    try:
        first = date.fromisoformat(first_text.strip())
        last = date.fromisoformat(last_text.strip()) if dots else first
    except ValueError:
        raise ValueError("is not a date (YYYY-MM-DD) or a range of them") from None
    if last < first or (last - first).days >= MAX_RANGE_DAYS:
        raise ValueError(f"is not a range of 1 to {MAX_RANGE_DAYS} days")
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
