"""What an import rests on: a legacy problem's 台账编号 held by the ledger (its id derived
from it, so a number is one problem), a batch of imported acts saved together or not at all,
and the row parser, which reads any cell without failing and names the row and column of
whatever it cannot read."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.imports.cells import column_letter
from api.imports.legacy_rows import HEADERS, parse_row
from domain.calendar import CHINA_TIME
from domain.errors import AlreadyExists, ValidationError
from domain.escalation import Tier
from domain.ledger import Ledger
from domain.legacy_issue import LegacyCategory, LegacyIssue, legacy_issue_id_for
from domain.meta import Actor, Role
from tests.clock import today
from tests.integration.builders import office, unit

IMPORTER = Actor("import:张三", Role.OFFICE)


def register(ledger: Ledger, number: str | None) -> Any:
    return ledger.register_legacy_issue(
        office(),
        title="某小区办证难",
        category=LegacyCategory.PROPERTY_TITLE,
        cause="历史原因",
        responsible_unit=unit(ledger) if not ledger.exists(_unit_id()) else _unit_id(),
        target_year=today().year,
        baseline=True,
        number=number,
    )


def _unit_id() -> Any:
    from domain.unit import unit_id_for

    return unit_id_for("区住建局")


def test_a_number_names_one_problem_its_id_derived_from_it(memory_ledger: Ledger) -> None:
    written = register(memory_ledger, " CX-2021-001 ")
    assert written.item_id == legacy_issue_id_for("CX-2021-001")
    assert memory_ledger.get(LegacyIssue, written.item_id).number == "CX-2021-001"
    with pytest.raises(AlreadyExists):
        register(memory_ledger, "CX-2021-001")


def test_a_problem_without_a_number_has_none_and_the_ledgers_own_form_is_refused(
    memory_ledger: Ledger,
) -> None:
    assert memory_ledger.get(LegacyIssue, register(memory_ledger, None).item_id).number is None
    for refused in ("YL-000123", "   "):
        with pytest.raises(ValidationError) as error:
            register(memory_ledger, refused)
        assert error.value.field == "number"
    with pytest.raises(ValidationError, match="the limit is 100"):
        register(memory_ledger, "号" * 101)


def _new_issue(ledger: Ledger, batch: Any, item_id: Any) -> LegacyIssue:
    at = datetime.combine(date(2021, 3, 1), time(9), tzinfo=CHINA_TIME)
    return LegacyIssue.register(
        item_id,
        title="导入的问题",
        category=LegacyCategory.LAND,
        cause="历史原因",
        parties=[],
        responsible_unit=_unit_id(),
        tier=Tier.TASK_FORCE,
        target_year=2021,
        baseline=True,
        meta=batch.stamp(at),
    )


def test_a_batch_is_saved_in_one_go_marked_imported_or_not_at_all(memory_ledger: Ledger) -> None:
    unit(memory_ledger)
    taken = register(memory_ledger, None).item_id
    head = memory_ledger.recorder.max_notification_id()
    with memory_ledger.importing(IMPORTER, "import:test") as batch:
        batch.add(_new_issue(memory_ledger, batch, uuid4()))
        batch.add(_new_issue(memory_ledger, batch, taken))  # collides with a problem held
        with pytest.raises(AlreadyExists):
            batch.save()
    assert memory_ledger.recorder.max_notification_id() == head
    fresh = uuid4()
    with memory_ledger.importing(IMPORTER, "import:test") as batch:
        batch.add(_new_issue(memory_ledger, batch, fresh))
        assert batch.save() == 1
    (event,) = memory_ledger.item_events(fresh)
    assert (event.actor, event.request_id, event.imported) == (IMPORTER, "import:test", True)


CELL = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(["区住建局", "土地", "是", "否", "2021", "2021-06-30", "项目专班", "已销号"]),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)


@settings(max_examples=150)
@given(values=st.fixed_dictionaries(dict.fromkeys(HEADERS, CELL)), line=st.integers(2, 10**6))
def test_any_cells_are_read_without_failing_and_every_problem_names_its_row_and_column(
    values: dict[str, Any], line: int
) -> None:
    columns = {key: i for i, key in enumerate(HEADERS)}
    row = parse_row(line, values, columns, {"区住建局": uuid4()})
    for problem in row.problems:
        assert problem.row == line
        assert problem.header in HEADERS.values()
        assert problem.line.startswith(f"第{line}行 {column_letter(problem.column)}列（")
        assert problem.message
    if not row.problems:
        assert row.title and row.cause and row.unit is not None
