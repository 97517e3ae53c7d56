"""The views' subscriptions on a real server share their computations: however many
screens follow one view, it is worked out once per change; screens of another role or
asking another selection follow a view of their own; a revoked screen ends alone."""

from __future__ import annotations

from typing import Any

import pytest

from api.cli.tokens import revoke
from tests.api.conftest import LiveServer
from tests.api.subscription_helpers import (
    OFFICE,
    OVERVIEW,
    eventually,
    receive_complaint,
    register_unit,
    settle,
    ws,
)
from tests.api.test_live_views_hub import Watched

VIEWER = "viewer:screen"
CHANNELS_ONLY = "subscription { supervisionOverview { channels { channel received } } }"


def received(snapshot: dict[str, object], channel: str) -> int:
    overview = snapshot["supervisionOverview"]
    assert isinstance(overview, dict)
    (figures,) = [c for c in overview["channels"] if c["channel"] == channel]
    return int(figures["received"])


@pytest.mark.slow
def test_forty_screens_on_one_view_are_served_by_one_computation_per_change(
    live: LiveServer,
) -> None:
    unit = register_unit(live)["itemId"]
    settle(live)
    watched = live.services.live_views.watcher = Watched()
    with ws(live, VIEWER) as first, ws(live, VIEWER) as second:
        ops = [(c, c.subscribe(OVERVIEW)) for c in (first, second) for _ in range(20)]
        snapshots = [client.next(op) for client, op in ops]
        assert len({received(s, "HOTLINE_12345") for s in snapshots}) == 1
        before = received(snapshots[0], "HOTLINE_12345")
        receive_complaint(live, unit)
        assert {received(client.next(op), "HOTLINE_12345") for client, op in ops} == {before + 1}
    hub = live.services.live_views
    eventually(lambda: hub.views == 0, "every screen gone: the view is no longer worked out")
    eventually(lambda: watched.counts["closed"] == 40, "each subscription counted closed")
    assert watched.counts["opened"] == 40
    assert watched.counts["computed"] == 2  # the first snapshot, then the one change


@pytest.mark.slow
def test_another_role_or_selection_follows_a_view_of_its_own_with_the_same_figures(
    live: LiveServer,
) -> None:
    settle(live)
    with ws(live, VIEWER) as screen, ws(live) as office:
        followed = [
            (screen, screen.subscribe(OVERVIEW)),
            (office, office.subscribe(OVERVIEW)),
            (screen, screen.subscribe(CHANNELS_ONLY)),
        ]
        snapshots = [client.next(op) for client, op in followed]
        assert live.services.live_views.views == 3
    assert received(snapshots[0], "MEDIA") == received(snapshots[1], "MEDIA")
    assert received(snapshots[0], "MEDIA") == received(snapshots[2], "MEDIA")
    assert set(snapshots[2]["supervisionOverview"]) == {"channels"}


@pytest.mark.slow
def test_a_revoked_screen_ends_alone_and_the_view_goes_on_for_the_others(
    live: LiveServer,
) -> None:
    unit = register_unit(live)["itemId"]
    settle(live)
    revokee = "viewer:screen-2"
    secret = live.token(revokee)
    with ws(live, revokee) as doomed, ws(live, VIEWER) as kept:
        lost, going_on = doomed.subscribe(OVERVIEW), kept.subscribe(OVERVIEW)
        doomed.next(lost)
        before = received(kept.next(going_on), "MEDIA")
        revoke(live.services.ledger, secret, "screen taken down", OFFICE)
        ending = doomed.message(lost)
        assert ending["type"] in ("next", "error")
        errors = ending["payload"] if ending["type"] == "error" else ending["payload"]["errors"]
        assert [e["message"] for e in errors] == ["this subscription's token was revoked"]
        receive_complaint(live, unit, channel="MEDIA")
        assert received(kept.next(going_on), "MEDIA") == before + 1


# --- the views' answers per position, and the live feed's shared answers --------------------

OVERVIEW_QUERY = "{ supervisionOverview { asOf channels { channel received } } }"
FEED = "subscription($after: Int!) { ledgerEvents(after: $after) { position type data } }"
FEED_WITH_CHAIN = "subscription($after: Int!) { ledgerEvents(after: $after) { position chain } }"
FEED_FOR_A_PURPOSE = """subscription($after: Int!, $purpose: String) {
  ledgerEvents(after: $after, purpose: $purpose) { position type data } }"""


@pytest.mark.slow
def test_a_view_asked_again_before_anything_is_written_reads_nothing_and_after_a_write_anew(
    live: LiveServer,
) -> None:
    unit = register_unit(live)["itemId"]
    settle(live)
    first = live.gql(OVERVIEW_QUERY)["supervisionOverview"]
    with live.count_queries() as again:
        assert live.gql(OVERVIEW_QUERY)["supervisionOverview"] == first
    assert again.count == 0
    written = receive_complaint(live, unit)
    with live.count_queries() as after_the_write:
        fresh = live.gql(OVERVIEW_QUERY, position=written["position"])["supervisionOverview"]
    assert after_the_write.count > 0
    assert (
        received({"supervisionOverview": fresh}, "HOTLINE_12345")
        == received({"supervisionOverview": first}, "HOTLINE_12345") + 1
    )


@pytest.mark.slow
def test_masked_subscribers_asking_alike_follow_one_shared_feed_per_role_and_a_chain_its_own(
    live: LiveServer,
) -> None:
    unit = register_unit(live)["itemId"]
    services = live.services
    with ws(live) as office, ws(live, "inspector:insp-1") as inspector:
        settle(live)  # the tokens included
        after = services.ledger.recorder.max_notification_id() or 0
        ops = [
            (office, office.subscribe(FEED, {"after": after})),
            (office, office.subscribe(FEED, {"after": after})),
            (inspector, inspector.subscribe(FEED, {"after": after})),
            (office, office.subscribe(FEED_WITH_CHAIN, {"after": after})),
        ]
        eventually(lambda: services.live_feeds.members == 3, "three hand over to shared feeds")
        written = receive_complaint(live, unit)
        got = [client.next(op)["ledgerEvents"] for client, op in ops]
        assert services.live_feeds.feeds == 2  # one per role asking alike
        assert services.tail.subscriber_count == 1  # the chain's, on its own
    assert {event["position"] for event in got} == {written["position"]}
    assert got[0] == got[1]
    eventually(lambda: services.live_feeds.feeds == 0, "the feeds stop with their last member")


@pytest.mark.slow
def test_subscribers_opening_personal_data_for_one_purpose_share_each_events_answer(
    live: LiveServer,
) -> None:
    unit = register_unit(live)["itemId"]
    services, answers = live.services, live.services.event_answers
    with ws(live) as office:
        settle(live)
        after = services.ledger.recorder.max_notification_id() or 0
        asked = {"after": after, "purpose": "回访核实"}
        ops = [office.subscribe(FEED_FOR_A_PURPOSE, asked) for _ in range(2)]
        written = receive_complaint(live, unit, complainant=("张三丰", "13812341234"))
        got = [office.next(op)["ledgerEvents"] for op in ops]
        assert services.live_feeds.feeds == 0  # their Disclosures are their own
    assert [event["position"] for event in got] == [written["position"]] * 2
    assert got[0] == got[1] and got[0]["data"]["complainant_name"] == "张三丰"
    assert answers.kept_at(written["position"]) == 1


@pytest.mark.slow
def test_screens_reconnecting_from_their_own_positions_share_one_feed_and_miss_nothing(
    live: LiveServer,
) -> None:
    unit = register_unit(live)["itemId"]
    services = live.services
    with ws(live) as office:
        settle(live)
        head = services.ledger.recorder.max_notification_id() or 0
        ops = [office.subscribe(FEED, {"after": after}) for after in (head - 2, head - 1, head)]
        eventually(lambda: services.live_feeds.members == 3, "all three hand over")
        assert services.live_feeds.feeds == 1  # `after` says where to start, not what to send
        written = receive_complaint(live, unit)
        got = [
            [
                office.next(op)["ledgerEvents"]["position"]
                for _ in range(written["position"] - after)
            ]
            for op, after in zip(ops, (head - 2, head - 1, head), strict=True)
        ]
    assert got == [
        list(range(after + 1, written["position"] + 1)) for after in (head - 2, head - 1, head)
    ]


PURPOSE_CALLED_AFTER = """subscription($after: String) {
  ledgerEvents(purpose: $after) { position data } }"""


@pytest.mark.slow
def test_a_variable_called_after_that_states_the_purpose_keeps_clear_and_masked_readers_apart(
    live: LiveServer,
) -> None:
    unit = register_unit(live)["itemId"]
    with ws(live) as clear, ws(live) as masked:
        settle(live)
        first = clear.subscribe(PURPOSE_CALLED_AFTER, {"after": "回访核实"})
        second = masked.subscribe(PURPOSE_CALLED_AFTER, {"after": None})
        clear.next(first), masked.next(second)  # the log's first event
        written = receive_complaint(live, unit, complainant=("张三丰", "13812341234"))

        def name_at(client: Any, op: str) -> str:
            while (event := client.next(op)["ledgerEvents"])["position"] != written["position"]:
                pass
            return str(event["data"]["complainant_name"])

        assert name_at(clear, first) == "张三丰"
        assert name_at(masked, second) == "张**"
