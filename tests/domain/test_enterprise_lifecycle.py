"""Enterprise (服务企业): registered by its unified social credit code (GB 32100-2015) with
the agency and person serving it; a service contract (服务契约) signed, amended, closed."""

from __future__ import annotations

from datetime import date

import pytest

from domain.credit_code import WEIGHTS, check_character, checked_credit_code
from domain.enterprise import Enterprise, EnterpriseState, enterprise_id_for
from domain.errors import InvalidTransition, ValidationError
from domain.person import Person
from tests.domain.builders import LEAD, OTHER, Clock, assert_refused, event_names

S = EnterpriseState
VALID_CODE = "91210200123456789R"
"""Built by hand: the first 17 characters count 9,1,2,1,0,2,0,0,1,2,3,4,5,6,7,8,9; times
the weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28 they sum to 1060; 1060 mod 31
is 6; 31 - 6 = 25, the place of R in 0-9 A-H J-N P-R T U W-Y."""


def registered(clock: Clock, code: str = VALID_CODE) -> Enterprise:
    return Enterprise.register(
        name=" 大连恒力石化有限公司 ",
        credit_code=code,
        unit=LEAD,
        served_by=Person(" 王五 ", " 服务秘书 "),
        meta=clock.next(),
    )


def under_contract(clock: Clock) -> Enterprise:
    e = registered(clock)
    e.sign_contract(
        agency=OTHER,
        commitments=[" 审批限时办结 ", "一次告知"],
        term_from=date(2021, 1, 1),
        term_to=date(2021, 12, 31),
        meta=clock.next(),
    )
    return e


def test_the_weights_of_the_standard_are_powers_of_three_modulo_31() -> None:
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_a_code_built_by_hand_from_the_standard_has_the_check_character_it_was_built_with() -> None:
    assert check_character(VALID_CODE[:17]) == "R"
    assert checked_credit_code("credit_code", " 91210200123456789r ") == VALID_CODE


def test_a_check_sum_of_a_multiple_of_31_has_the_check_character_0() -> None:
    first = "91210200123456789"
    for last in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        code = first[:16] + last
        if check_character(code) == "0":
            assert checked_credit_code("c", code + "0") == code + "0"
            return
    pytest.fail("no 17th character gives a sum divisible by 31")


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("91210200123456789", "18 characters"),
        ("91210200123456789RR", "18 characters"),
        ("9121020012345678IR", "'I' is not"),
        ("912102001234567 8R", "' ' is not"),
        ("91A10200123456789R", "division code"),
        ("91210200123456789Q", "check character is 'R'"),
    ],
)
def test_a_credit_code_of_the_wrong_shape_or_check_character_is_refused(
    code: str, why: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        checked_credit_code("credit_code", code)
    assert caught.value.field == "credit_code"
    assert why in caught.value.message


def test_a_registered_enterprise_has_its_id_from_its_code_and_its_server_trimmed(
    clock: Clock,
) -> None:
    e = registered(clock)
    assert e.id == enterprise_id_for(VALID_CODE)
    assert (e.name, e.credit_code, e.unit) == ("大连恒力石化有限公司", VALID_CODE, LEAD)
    assert e.served_by == Person("王五", "服务秘书")
    assert e.state is S.REGISTERED
    assert e.contract is None


@pytest.mark.parametrize(
    ("name", "person", "field"),
    [(" ", Person("王五", "服务秘书"), "name"), ("某公司", Person("王五", " "), "served_by")],
)
def test_an_enterprise_without_a_name_or_a_server_with_a_post_is_refused(
    clock: Clock, name: str, person: Person, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Enterprise.register(
            name=name, credit_code=VALID_CODE, unit=LEAD, served_by=person, meta=clock.next()
        )
    assert caught.value.field == field


def test_a_signed_contract_keeps_its_agency_commitments_term_and_signing_day(clock: Clock) -> None:
    e = under_contract(clock)
    assert e.state is S.UNDER_CONTRACT
    assert e.contract is not None
    assert e.contract.agency == OTHER
    assert e.contract.commitments == ("审批限时办结", "一次告知")
    assert (e.contract.term_from, e.contract.term_to) == (date(2021, 1, 1), date(2021, 12, 31))
    assert e.contract.signed_on == clock.now.date()
    assert event_names(e) == ["Registered", "ContractSigned"]


@pytest.mark.parametrize(
    ("commitments", "term_to", "field"),
    [
        ([], date(2021, 12, 31), "commitments"),
        (["a", " "], date(2021, 12, 31), "commitments"),
        (["a"], date(2020, 12, 31), "term_to"),
    ],
)
def test_a_contract_without_commitments_or_ending_before_it_begins_is_refused(
    clock: Clock, commitments: list[str], term_to: date, field: str
) -> None:
    e = registered(clock)
    assert_refused(
        e,
        ValidationError,
        lambda: e.sign_contract(
            agency=LEAD,
            commitments=commitments,
            term_from=date(2021, 1, 1),
            term_to=term_to,
            meta=clock.next(),
        ),
        field,
    )


def test_a_second_contract_is_refused_while_one_is_in_force(clock: Clock) -> None:
    e = under_contract(clock)
    assert_refused(
        e,
        InvalidTransition,
        lambda: e.sign_contract(
            agency=LEAD,
            commitments=["x"],
            term_from=date(2022, 1, 1),
            term_to=date(2022, 12, 31),
            meta=clock.next(),
        ),
    )


def test_an_amended_contract_has_its_new_commitments_and_end_and_keeps_its_start(
    clock: Clock,
) -> None:
    e = under_contract(clock)
    e.amend_contract(
        commitments=["帮办代办"], term_to=date(2022, 6, 30), reason="续约半年", meta=clock.next()
    )
    assert e.contract is not None
    assert e.contract.commitments == ("帮办代办",)
    assert (e.contract.term_from, e.contract.term_to) == (date(2021, 1, 1), date(2022, 6, 30))


def test_a_closed_contract_is_kept_with_its_closing_day_and_another_may_be_signed(
    clock: Clock,
) -> None:
    e = under_contract(clock)
    e.close_contract("期满", clock.next())
    assert e.state is S.REGISTERED
    assert e.contract is not None and e.contract.closed_on == clock.now.date()
    e.sign_contract(
        agency=LEAD,
        commitments=["x"],
        term_from=date(2022, 1, 1),
        term_to=date(2022, 12, 31),
        meta=clock.next(),
    )
    assert e.contract.agency == LEAD and e.contract.closed_on is None


def test_a_contract_not_in_force_can_be_neither_amended_nor_closed(clock: Clock) -> None:
    e = registered(clock)
    assert_refused(e, InvalidTransition, lambda: e.close_contract("期满", clock.next()))
    assert_refused(
        e,
        InvalidTransition,
        lambda: e.amend_contract(
            commitments=["x"], term_to=date(2022, 1, 1), reason="r", meta=clock.next()
        ),
    )
