"""Date-times at the ends of the calendar, through the real HTTP API.

Found by the fuzzing: ``9999-12-31T23:59:59-14:00`` is a valid date-time, but in UTC it falls
in year 10000 (and ``0001-01-01T00:00:00+14:00`` in year 0). As an interview filter it was
converted to UTC and answered "Unexpected error."; as an interview's ``scheduledFor`` it was
written, and the projections then stopped on it. Every date-time input must lie, in UTC, a day
inside the calendar's ends (0001-01-02 to 9999-12-30); outside, it is refused naming the field,
as bad input in a query and as a ``ValidationError`` in a mutation, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.conftest import LiveServer, start_server, stop_server
from tests.api.helpers import head, mutate, mutation_document
from tests.conftest import settings_for

INTERNAL = "Unexpected error."
"""The mask over an error the service did not expect."""
PAST_YEAR_9999 = "9999-12-31T23:59:59-14:00"
BEFORE_YEAR_1 = "0001-01-01T00:00:00+14:00"
EXTREMES = pytest.mark.parametrize(
    "moment", [PAST_YEAR_9999, BEFORE_YEAR_1], ids=["past-year-9999-in-utc", "before-year-1-in-utc"]
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the module, with a unit and a task to act on."""
    folder = tmp_path_factory.mktemp("datetime-extremes")
    live = start_server(settings_for(f"sqlite:///{folder / 'ledger.sqlite'}"))
    yield live
    stop_server(live)


@pytest.fixture(scope="module")
def unit(server: LiveServer) -> str:
    result = mutate(server, "registerUnit", {"name": "区住建局", "kind": "DEPARTMENT"})
    assert result["__typename"] == "MutationSuccess", result
    item_id: str = result["itemId"]
    return item_id


@pytest.fixture(scope="module")
def task(server: LiveServer) -> str:
    given = {"planYear": 2026, "number": 1, "title": "推行企业开办一网通办"}
    result = mutate(server, "registerTask", given)
    assert result["__typename"] == "MutationSuccess", result
    item_id: str = result["itemId"]
    return item_id


def refused_as_bad_input(response: Any, field: str) -> None:
    """The answer is one error, BAD_USER_INPUT naming ``field``, saying what is wrong."""
    assert response.status_code == 200, response.text
    (error,) = response.json()["errors"]
    assert error["message"] != INTERNAL, error
    assert error.get("extensions") == {"code": "BAD_USER_INPUT", "field": field}, error
    assert "out of range" in error["message"], error


@EXTREMES
@pytest.mark.parametrize("field", ["scheduledFrom", "scheduledTo"])
def test_an_interview_filter_date_time_beyond_the_calendar_in_utc_is_bad_input_naming_the_field(
    server: LiveServer, moment: str, field: str
) -> None:
    query = f'{{ interviews(filter: {{{field}: "{moment}"}}, first: 5) {{ totalCount }} }}'

    response = server.post(query)

    refused_as_bad_input(response, f"filter.{field}")


@EXTREMES
def test_an_interview_filter_date_time_beyond_the_calendar_sent_as_a_variable_is_bad_input(
    server: LiveServer, moment: str
) -> None:
    query = "query($f: InterviewFilter) { interviews(filter: $f, first: 5) { totalCount } }"

    response = server.post(query, {"f": {"scheduledFrom": moment}})

    refused_as_bad_input(response, "filter.scheduledFrom")


@EXTREMES
@pytest.mark.parametrize(
    "field", ["occurredFrom", "occurredTo", "recordedFrom", "recordedTo", "knownAt"]
)
def test_an_events_filter_date_time_beyond_the_calendar_in_utc_is_bad_input_naming_the_field(
    server: LiveServer, moment: str, field: str
) -> None:
    query = f'{{ events(filter: {{{field}: "{moment}"}}, first: 5) {{ totalCount }} }}'

    response = server.post(query)

    refused_as_bad_input(response, f"filter.{field}")


@EXTREMES
@pytest.mark.parametrize("argument", ["asOf", "knownAt"])
def test_a_history_moment_beyond_the_calendar_in_utc_is_bad_input_naming_the_argument(
    server: LiveServer, unit: str, moment: str, argument: str
) -> None:
    query = f'{{ history(itemId: "{unit}", {argument}: "{moment}") {{ version }} }}'

    response = server.post(query)

    refused_as_bad_input(response, argument)


@EXTREMES
@pytest.mark.parametrize("sent_as", ["variable", "literal"])
def test_an_occurred_at_beyond_the_calendar_in_utc_is_a_validation_error_and_writes_nothing(
    server: LiveServer, task: str, moment: str, sent_as: str
) -> None:
    before = head(server)
    given = {"taskId": task, "reason": "滞后", "occurredAt": moment}

    if sent_as == "variable":
        response = server.post(mutation_document("urgeTask"), {"input": given})
    else:
        literal = f'taskId: "{task}", reason: "滞后", occurredAt: "{moment}"'
        response = server.post(
            f"mutation {{ urgeTask(input: {{{literal}}}) "
            "{ __typename ... on ValidationError { field message } } }"
        )

    assert response.status_code == 200, response.text
    result = response.json()["data"]["urgeTask"]
    assert result["__typename"] == "ValidationError", result
    assert result["field"] == "occurredAt"
    assert "out of range" in result["message"]
    assert head(server) == before


@pytest.mark.parametrize(
    "moment",
    [PAST_YEAR_9999, BEFORE_YEAR_1, "9999-12-31T20:00:00Z"],
    ids=["past-year-9999-in-utc", "before-year-1-in-utc", "past-year-9999-in-beijing"],
)
def test_an_interview_scheduled_beyond_the_calendar_is_a_validation_error_and_writes_nothing(
    server: LiveServer, unit: str, task: str, moment: str
) -> None:
    before = head(server)
    given = {
        "unit": unit,
        "interviewee": "张局长",
        "reason": "任务滞后",
        "citedItems": [task],
        "scheduledFor": moment,
    }

    result = mutate(server, "scheduleInterview", given)

    assert result["__typename"] == "ValidationError", result
    assert result["field"] == "scheduledFor"
    assert "out of range" in result["message"]
    assert head(server) == before
    assert server.client.get("/readyz").status_code == 200


@pytest.mark.parametrize(
    "moment",
    ["0001-01-02T00:00:00Z", "9999-12-30T23:59:59Z", "0001-01-02T00:00:00", "9999-12-30T23:59:59"],
    ids=["first-day-in-utc", "last-day-in-utc", "first-day-without-offset", "last-day-no-offset"],
)
def test_date_times_a_day_inside_the_calendars_ends_are_accepted_as_filters(
    server: LiveServer, moment: str
) -> None:
    interviews = f'interviews(filter: {{scheduledFrom: "{moment}"}}) {{ totalCount }}'
    events = f'events(filter: {{occurredTo: "{moment}"}}) {{ totalCount }}'

    data = server.gql(f"{{ {interviews} {events} }}")

    assert data["interviews"]["totalCount"] >= 0
    assert data["events"]["totalCount"] >= 0
