"""避头尾 in the documents: lines broken as Chinese typesetting breaks them (a character is
one unit wide here)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from api.documents.line_breaks import NO_LINE_END, NO_LINE_START, break_lines
from tests.conftest import examples


def lines(text: str, width: int = 5, first: int | None = None) -> list[str]:
    return break_lines(text, len, first if first is not None else width, width)


def test_a_paragraph_fills_each_line_and_its_first_line_may_be_shorter() -> None:
    assert lines("一二三四五六七八九十甲乙", first=3) == ["一二三", "四五六七八", "九十甲乙"]


def test_closing_punctuation_never_starts_a_line_it_hangs_at_the_end_of_the_one_before() -> None:
    assert lines("一二三四五。六七") == ["一二三四五。", "六七"]
    assert lines("一二三四五。”六七") == ["一二三四五。”", "六七"]


def test_opening_punctuation_never_ends_a_line_it_goes_down_with_what_it_opens() -> None:
    assert lines("一二三四（五六）") == ["一二三四", "（五六）"]


def test_a_run_of_digits_and_letters_is_never_split() -> None:
    assert lines("截至2021年6月", width=5) == ["截至", "2021年", "6月"]
    assert lines("位置ledger-seal:v3:15", width=8) == ["位置", "ledger-seal:v3:15"]


def test_a_newline_ends_a_line() -> None:
    assert lines("一二\n三四") == ["一二", "三四"]


@given(st.text(alphabet="一二三四五，。、（）《》ab12 ", max_size=80), st.integers(2, 12))
@settings(max_examples=examples(100))
def test_no_text_is_lost_and_no_line_starts_or_ends_with_the_wrong_punctuation(
    text: str, width: int
) -> None:
    found = lines(text, width)
    assert "".join(found) == text
    assert all(line for line in found)
    assert not any(line[0] in NO_LINE_START for line in found[1:])
    assert not any(line[-1] in NO_LINE_END for line in found[:-1])
