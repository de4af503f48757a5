"""check --format markdown: a valid table whatever the text, showing the text as it is, never as markup."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from argmap.render.markdown import _cell
from argmap.render.text import clean
from cli_runner import run
from fuzz_settings import examples
from helpers import ROOT

#: A backslash escape of CommonMark: a backslash before any ASCII punctuation character.
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _unescaped(cell: str, char: str) -> list[int]:
    """Where `char` stands in `cell` without a backslash escape before it."""
    found, i = [], 0
    while i < len(cell):
        if cell[i] == "\\" and i + 1 < len(cell):
            i += 2
            continue
        if cell[i] == char:
            found.append(i)
        i += 1
    return found


@given(text=st.text())
@examples(400)
def test_a_cell_shows_any_text_as_it_is_and_no_markup(text: str) -> None:
    cell = _cell(text)
    assert "\n" not in cell and "\r" not in cell
    for markup in "|<>&`*[]!~#":
        assert _unescaped(cell, markup) == [], (text, cell)
    for i in _unescaped(cell, "_"):  # an underscore left as it is stands between two letters or digits
        assert 0 < i < len(cell) - 1 and cell[i - 1].isalnum() and cell[i + 1].isalnum(), (text, cell)
    assert ESCAPE.sub(r"\1", cell) == clean(text)  # what a reader sees is the text


def test_the_trial_title_is_shown_not_obeyed() -> None:
    cell = _cell("a|b <img src=x onerror=alert(1)> `c` *d* [e](f) guaranteed_guarantees _x_")
    assert cell == r"a\|b \<img src=x onerror=alert(1)\> \`c\` \*d\* \[e\](f) guaranteed_guarantees \_x\_"


def test_every_row_has_the_header_s_columns() -> None:
    result = run("check", "--format", "markdown", "--exit-zero", ROOT / "proposals")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    columns = len(_unescaped(lines[0], "|"))
    assert columns > 2 and all(len(_unescaped(line, "|")) == columns for line in lines)
