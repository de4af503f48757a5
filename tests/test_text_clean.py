"""Terminal text shows every character of a title: what a terminal would obey is spelled out.

`render.text.clean` is what `check`, `explain`, `test` and the other text
outputs put every user string through.  A carriage return, every other C0 and
C1 control character, the line and paragraph separators and the bidirectional
overrides come out as visible escapes (``\\r``, ``\\x01``, ``\\u202e``), never
raw and never as a space that would hide them; a line break or a tab is a
space; anything printable is left as it is.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from argmap.render.text import clean
from cli_runner import run
from fuzz_settings import examples
from helpers import PROPOSALS, ROOT

#: Categories a terminal would obey, drop or show as nothing, and the two Unicode line breaks.
OBEYED = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\rb", "a\\rb"),
        ("a\r\nb", "a\\r b"),
        ("a\x01b\x7f", "a\\x01b\\x7f"),
        ("next\x85line\x9b", "next\\x85line\\x9b"),
        ("right\u202eleft\u2066", "right\\u202eleft\\u2066"),
        ("line\u2028paragraph\u2029", "line\\u2028paragraph\\u2029"),
        ("tag\U000e0001", "tag\\U000e0001"),
        ("a\nb\tc", "a b c"),
        ("Київ – ✓ \u00e9\u00a0x", "Київ – ✓ \u00e9\u00a0x"),
    ],
    ids=["cr", "crlf", "c0-del", "c1", "bidi", "separators", "astral-format", "newline-tab", "printable"],
)
def test_each_kind_of_character_is_shown_as_it_should_be(text: str, shown: str) -> None:
    assert clean(text) == shown


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40))
@examples(200)
def test_no_character_a_terminal_would_obey_comes_out_and_none_goes_missing(text: str) -> None:
    out = clean(text)
    assert not [ch for ch in out if unicodedata.category(ch) in OBEYED or ch in "\n\t"]
    # each such character is there as its escape, in order: removing the escapes leaves the printable rest
    expected = []
    for ch in text:
        if ch in "\n\t":
            expected.append(" ")
        elif ch == "\r":
            expected.append("\\r")
        elif unicodedata.category(ch) in OBEYED:
            code = ord(ch)
            expected.append(
                f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
            )
        else:
            expected.append(ch)
    assert out == "".join(expected)


def test_a_carriage_return_in_a_title_is_shown_in_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = (PROPOSALS / "guaranteed_guarantees.yaml").read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    path = tmp_path / "cr.yaml"
    path.write_text(text.replace(title, 'title: "before\\rafter \\u202e \\x01"'), encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "before\\rafter \\u202e \\x01  [cr]"
    assert not any(ch in result.stdout for ch in "\r\u202e\x01")
