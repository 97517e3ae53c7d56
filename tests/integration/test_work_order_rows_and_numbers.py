"""What the work-order import rests on: a complaint's work-order number (12345 工单编号) held
by its Received event (its id derived from it, so a number is one case; cases recorded
before numbers were kept read with none), and the row parser, which reads any cell without
failing, names the row and column of whatever it cannot read, and reads a date and time
written any way the platform writes it as the same moment."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from hypothesis import given, settings
from hypothesis import strategies as st

from api.imports.cells import column_letter
from api.imports.legacy_acts import RowProblem
from api.imports.work_order_acts import row_acts
from api.imports.work_order_rows import HEADERS, Names, moment, parse_row
from domain.calendar import CHINA_TIME
from domain.channels import Channel
from domain.complaint import Complaint
from domain.complaint_numbers import complaint_id_for
from domain.errors import AlreadyExists, ValidationError
from domain.ledger import Ledger
from domain.policy import default_policy
from tests.integration.builders import office, unit


def receive(ledger: Ledger, number: str | None, first: Any) -> Any:
    return ledger.receive_complaint(
        office(),
        channel=Channel.HOTLINE_12345,
        summary="办证慢",
        first_responder=first,
        complainant_name="王小明",
        number=number,
    )


def test_a_work_order_number_names_one_case_its_id_derived_from_it(
    memory_ledger: Ledger,
) -> None:
    first = unit(memory_ledger)
    written = receive(memory_ledger, " GD20250303001 ", first)
    assert written.item_id == complaint_id_for("GD20250303001")
    assert memory_ledger.get(Complaint, written.item_id).number == "GD20250303001"
    with pytest.raises(AlreadyExists):
        receive(memory_ledger, "GD20250303001", first)
    assert memory_ledger.get(Complaint, receive(memory_ledger, None, first).item_id).number is None
    for refused in ("TS-000123", "  "):
        with pytest.raises(ValidationError) as error:
            receive(memory_ledger, refused, first)
        assert error.value.field == "number"
    with pytest.raises(ValidationError, match="the limit is 100"):
        receive(memory_ledger, "号" * 101, first)


def test_a_case_recorded_before_numbers_were_kept_reads_with_none(memory_ledger: Ledger) -> None:
    written = receive(memory_ledger, None, unit(memory_ledger))
    old_id, rows = uuid4(), []
    for row in memory_ledger.recorder.select_events(written.item_id):
        state: dict[str, Any] = memory_ledger.mapper.transcoder.decode(row.state)
        assert state.pop("number") is None
        state["originator_id"] = old_id
        encoded = memory_ledger.mapper.transcoder.encode(state)
        rows.append(StoredEvent(old_id, row.originator_version, row.topic, encoded))
    memory_ledger.recorder.insert_events(rows)
    case = memory_ledger.get(Complaint, old_id)
    assert (case.number, case.summary) == (None, "办证慢")


CELL = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(["区住建局", "12345热线", "24小时行政投诉举报电话", "属实", "不属实", "是"]),
    st.sampled_from(["2025-03-03 10:15", "2025/3/3 10:15:30", "2025年3月3日 10时15分", "满意"]),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)
NAMES = Names({"区住建局": uuid4()}, {"大连某某有限公司": uuid4()}, default_policy().intakes)


@settings(max_examples=150)
@given(values=st.fixed_dictionaries(dict.fromkeys(HEADERS, CELL)), line=st.integers(2, 10**6))
def test_any_cells_are_read_without_failing_and_every_problem_names_its_row_and_column(
    values: dict[str, Any], line: int
) -> None:
    columns = {key: i for i, key in enumerate(HEADERS)}
    row = parse_row(line, values, columns, NAMES)
    for problem in row.problems:
        assert problem.row == line
        assert problem.header in HEADERS.values()
        assert problem.line.startswith(f"第{line}行 {column_letter(problem.column)}列（")
        assert problem.message
    if not row.problems:
        assert row.number and row.summary and row.first_responder is not None
        try:
            acts = row_acts(row)
        except RowProblem as problem:
            assert problem.key in HEADERS
        else:
            assert [a.at for a in acts] == sorted(a.at for a in acts)
            assert all(a.at >= row.received_at for a in acts)


@given(st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(9998, 12, 31)))
def test_a_moment_reads_the_same_as_a_date_time_a_serial_number_and_text(at: datetime) -> None:
    second = at.replace(microsecond=0)
    expected = second.replace(tzinfo=CHINA_TIME)
    assert moment(second) == expected
    assert moment(second.strftime("%Y-%m-%d %H:%M:%S")) == expected
    assert moment(f"{second.year}年{second.month}月{second.day}日 {second:%H:%M:%S}") == expected
    serial = (second - datetime(1899, 12, 30)).total_seconds() / 86400
    assert moment(serial) == expected
