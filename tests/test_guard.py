"""Hard limits: grounding of user rule files in a child process, and solve timeouts."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from argmap.cli import main
from argmap.errors import InputError
from argmap.guard import probe
from helpers import PROPOSALS, RULES

PIGEONS = """
% 13 pigeons, 12 holes: tiny to ground, very hard to refute.
pigeon(1..13). hole(1..12).
1 { sits(P, H) : hole(H) } 1 :- pigeon(P).
:- sits(P1, H), sits(P2, H), P1 < P2.
"""


def test_probe_accepts_the_real_knowledge_base() -> None:
    probe([str(RULES / "main.lp")], seconds=60)


@pytest.mark.parametrize(
    ("text", "line"),
    [("q(1).\n% blow-up\np(X) :- X = 1..100000000.\n", 3), ("n(0).\nn(X+1) :- n(X).\n", 2)],
    ids=["huge-interval", "unbounded-recursion"],
)
def test_probe_names_the_rule_that_blows_up(tmp_path: Path, text: str, line: int) -> None:
    bad = tmp_path / "bad.lp"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        probe([str(bad)], seconds=2)
    assert err.value.line == line
    assert err.value.path is not None and err.value.path.endswith("bad.lp")
    assert "grounding did not finish within 2 s" in err.value.message


def test_a_hard_solve_is_cut_by_timeout(tmp_path: Path) -> None:
    hard = tmp_path / "hard.lp"
    hard.write_text(PIGEONS, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "--timeout",
            "1",
            "check",
            "--kb",
            str(RULES / "main.lp"),
            "--kb",
            str(hard),
            str(PROPOSALS / "guaranteed_guarantees.yaml"),
        ],
    )
    assert result.exit_code == 2, result.output
    assert "solving did not finish within 1 s" in result.stderr
    assert "Traceback" not in result.stderr
