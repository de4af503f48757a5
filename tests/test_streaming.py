"""`check` streams: each proposal is written as soon as it is judged, nothing is kept from one to the next,
`-o FILE` streams into a temporary file renamed at the end, and a dated proposal's JSON gives its dates."""

from __future__ import annotations

import gc
import json
import os
import shutil
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import argmap.api
import argmap.cli.commands as commands
from argmap.model.errors import InputError
from cli_runner import run
from helpers import PROPOSALS

FILES = sorted(PROPOSALS.glob("*.yaml"))[:4]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Four example proposals in a folder of their own."""
    where = tmp_path / "batch"
    where.mkdir()
    for path in FILES:
        shutil.copy(path, where / path.name)
    return where


def _watch(monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], list[tuple[int, str]]]:
    """Record each verdict check_paths yields (weakly) and, for each write, how many had been yielded."""
    judged: list[Any] = []
    writes: list[tuple[int, str]] = []
    real = argmap.api.Argmap.check_paths

    def check_paths(self: argmap.api.Argmap, paths: Any, *, jobs: int = 1) -> Iterator[Any]:
        for item in real(self, paths, jobs=jobs):
            judged.append(weakref.ref(item) if not isinstance(item, Exception) else item)
            yield item

    monkeypatch.setattr(argmap.api.Argmap, "check_paths", check_paths)
    monkeypatch.setattr(commands, "out", lambda text: writes.append((len(judged), text)))
    return judged, writes


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "markdown"])
def test_each_proposal_is_written_before_the_next_is_judged(
    folder: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    judged, writes = _watch(monkeypatch)
    result = run("check", "--exit-zero", "--format", fmt, folder)
    assert result.exit_code == 0, result.stderr
    assert len(judged) == len(FILES)
    # one write a proposal, made while it was the last one judged; then at most the closing piece
    assert [n for n, _ in writes[: len(FILES)]] == list(range(1, len(FILES) + 1))
    assert len(writes) <= len(FILES) + 1
    for i, path in enumerate(FILES):
        assert path.stem in writes[i][1]


def test_no_verdict_is_kept_once_written(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    judged: list[Any] = []
    alive: list[int] = []
    real = argmap.api.Argmap.check_paths

    def check_paths(self: argmap.api.Argmap, paths: Any, *, jobs: int = 1) -> Iterator[Any]:
        for item in real(self, paths, jobs=jobs):
            gc.collect()
            alive.append(sum(ref() is not None for ref in judged))  # earlier verdicts still referenced
            judged.append(weakref.ref(item))
            yield item
            del item

    monkeypatch.setattr(argmap.api.Argmap, "check_paths", check_paths)
    result = run("check", "--exit-zero", "--format", "json", folder)
    assert result.exit_code == 0, result.stderr
    assert len(alive) == len(FILES)
    assert alive == [0] * len(FILES), "a verdict outlived its rendering"


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "markdown"])
def test_output_file_has_the_bytes_of_standard_output(folder: Path, tmp_path: Path, fmt: str) -> None:
    printed = run("check", "--exit-zero", "--format", fmt, folder)
    target = tmp_path / f"out.{fmt}"
    written = run("check", "--exit-zero", "--format", fmt, "-o", target, folder)
    assert (printed.exit_code, written.exit_code) == (0, 0)
    assert written.stdout == ""
    assert target.read_text(encoding="utf-8") == printed.stdout
    if fmt == "json":
        assert [item["proposal"] for item in json.loads(printed.stdout)] == [p.stem for p in FILES]
    if fmt == "jsonl":
        lines = printed.stdout.splitlines()
        assert [json.loads(line)["proposal"] for line in lines] == [p.stem for p in FILES]


def test_a_bad_file_is_reported_and_the_others_written(folder: Path, tmp_path: Path) -> None:
    (folder / FILES[1].name).write_text("title: [unclosed\n", encoding="utf-8")
    target = tmp_path / "out.json"
    result = run("check", "--exit-zero", "--format", "json", "-o", target, folder)
    assert result.exit_code == 2
    assert FILES[1].name in result.stderr
    assert [item["proposal"] for item in json.loads(target.read_text())] == [
        p.stem for i, p in enumerate(FILES) if i != 1
    ]


def test_a_failure_half_way_leaves_the_old_file(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.json"
    target.write_text("old\n", encoding="utf-8")
    real = commands.render_json.verdict_json
    calls: list[int] = []

    def failing(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("a failure half-way")
        return real(*args)

    monkeypatch.setattr(commands.render_json, "verdict_json", failing)
    result = run("check", "--exit-zero", "--format", "json", "-o", target, folder)
    assert isinstance(result.exception, RuntimeError)
    assert len(calls) == 3
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["batch", "out.json"]  # no temporary file left


def test_jobs_stream_in_input_order(folder: Path, tmp_path: Path) -> None:
    one = run("check", "--exit-zero", "--format", "jsonl", folder)
    two = run("check", "--exit-zero", "--format", "jsonl", "--jobs", "2", folder)
    assert (one.exit_code, two.exit_code) == (0, 0)
    assert two.stdout == one.stdout
    assert [json.loads(line)["proposal"] for line in two.stdout.splitlines()] == [p.stem for p in FILES]


def test_a_missing_input_is_named_not_the_output_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    result = run("check", "-o", target, FILES[0], tmp_path / "missing.yaml")
    assert result.exit_code == 2
    assert "missing.yaml: error: no such file or folder" in result.stderr
    assert "out.txt" not in result.stderr
    assert not target.exists()


def test_json_gives_a_dated_proposals_day_and_the_stance_record_read(tmp_path: Path) -> None:
    dated = tmp_path / "dated.yaml"
    dated.write_text(FILES[0].read_text(encoding="utf-8") + "date: 2024-02-10\n", encoding="utf-8")
    result = run("check", "--exit-zero", "--format", "json", dated)
    assert result.exit_code == 0, result.stderr
    (item,) = json.loads(result.stdout)
    assert item["date"] == "2024-02-10"
    # the latest stance recorded on or before that day, at the precision it is recorded (here a month)
    assert item["stance_record"] == "2024-02"
    undated = json.loads(run("check", "--exit-zero", "--format", "json", FILES[0]).stdout)[0]
    assert "date" not in undated and "stance_record" not in undated


@pytest.mark.parametrize("fmt", ["pretty", "json"])
def test_scenario_cases_are_written_as_they_run(monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    import argmap.analysis.testing as analysis_testing
    import argmap.cli.testing as cli_testing

    ran: list[str] = []
    writes: list[tuple[int, str]] = []
    real = analysis_testing.run_case

    def run_case(engine: Any, case: Any, **kwargs: Any) -> Any:
        ran.append(case.id)
        return real(engine, case, **kwargs)

    monkeypatch.setattr(analysis_testing, "run_case", run_case)
    monkeypatch.setattr(cli_testing, "out", lambda text: writes.append((len(ran), text)))
    result = run("test", "tests/scenarios", "-k", "credible", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert len(ran) >= 3
    # the case judged i-th is written while it is the last one judged
    per_case = [(n, text) for n, text in writes if any(case in text for case in ran)]
    assert [n for n, _ in per_case] == list(range(1, len(ran) + 1))
    text = "".join(t for _, t in writes)
    if fmt == "json":
        data = json.loads(text)
        assert [c["id"] for c in data["cases"]] == ran
        assert data["summary"]["passed"] == len(ran)
    else:
        assert text.endswith(f"\n{len(ran)} passed, 0 failed\n")


def test_a_text_speaks_of_the_date_judged(tmp_path: Path) -> None:
    from argmap.model.proposal import Proposal, World
    from argmap.model.when import as_of_phrase, fill_as_of

    dated = Proposal("p", "t", "s", (), date=20240200, date_asked=20240210)
    assert fill_as_of("free {as_of|now}.", as_of_phrase(dated, World())) == "free as of February 2024."
    assert fill_as_of("free {as_of|now}.", as_of_phrase(Proposal("p", "t", "s", ()), World())) == "free now."
    later = as_of_phrase(dated, World(as_of=20250228, actor_as_of=(("some_actor", 20250120),)))
    assert later == "as of 28 February 2025, for some actor as of 20 January 2025"
    # the shipped knowledge base: a dated proposal's warning names the stance record instead of "today"
    source = (PROPOSALS / "guaranteed_guarantees.yaml").read_text(encoding="utf-8")
    path = tmp_path / "dated.yaml"
    path.write_text(source + "date: 2024-02-10\n", encoding="utf-8")
    warnings = json.loads(run("check", "--exit-zero", "--format", "json", path).stdout)[0]["warnings"]
    texts = [w["text"] for w in warnings if "blocks it" in w["text"]]
    assert texts and all("as of February 2024" in t and "today" not in t and "{" not in t for t in texts)
    plain = run("check", "--exit-zero", "--format", "json", PROPOSALS / "guaranteed_guarantees.yaml")
    assert all("{" not in w["text"] for w in json.loads(plain.stdout)[0]["warnings"])


# ---------------------------------------------------------------------------- listing a folder
def test_a_folder_is_listed_in_code_point_order_across_packed_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from argmap.io import proposals

    monkeypatch.setattr(proposals, "_RUN", 3)  # several runs to merge from a handful of names
    names = ["b.yaml", "a.yml", "Z.yaml", "é.yaml", "a b.yaml", "10.yaml", "9.yaml", "ß.yml"]
    for name in [*names, ".hidden.yaml", "notes.txt", "x.yaml~"]:
        (tmp_path / name).write_text("title: t\n", encoding="utf-8")
    raw = os.fsdecode(b"\xff.yaml")  # a name that is not UTF-8 survives the packing
    (tmp_path / raw).write_text("title: t\n", encoding="utf-8")
    files = proposals.expand_paths([str(tmp_path / "b.yaml"), str(tmp_path)])
    expected = [str(tmp_path / "b.yaml"), *(os.path.join(tmp_path, n) for n in sorted([*names, raw]))]
    assert list(files) == expected
    assert list(files) == expected  # iterated twice, the same
    assert len(files) == len(expected)
    assert os.path.join(tmp_path, "ß.yml") in files
    assert os.path.join(tmp_path, ".hidden.yaml") not in files
    assert list(proposals.proposal_names(str(tmp_path))) == sorted([*names, raw])


def test_an_unreadable_folder_is_an_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from argmap.io import proposals
    from argmap.model.errors import InputError

    def refuse(path: str) -> Any:
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(proposals.os, "scandir", refuse)
    with pytest.raises(InputError, match="cannot read the folder: Permission denied"):
        proposals.expand_paths([str(tmp_path)])


def test_jobs_hand_out_a_window_of_chunks_not_the_whole_batch(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With --jobs, chunks are taken from the listing as results come back, at most two a worker ahead."""
    from argmap.engine import workers

    taken: list[str] = []
    real = workers.islice

    def islice(iterable: Any, size: int) -> Any:
        return (taken.append(p) or p for p in real(iterable, size))

    monkeypatch.setattr(workers, "islice", islice)
    seen = []
    many = [str(p) for p in sorted(folder.glob("*.yaml"))] * 10  # 40 files, chunks of 5 for 2 jobs
    app = argmap.api.Argmap()
    for i, _item in enumerate(app.check_paths(many, jobs=2)):
        seen.append(len(taken))
        if i == 0:
            assert len(taken) <= 4 * 5  # two chunks a worker in flight, no more
    assert len(seen) == 40 and taken == many


def test_a_folder_lists_yaml_and_yml_files_not_subfolders_or_dotfiles(tmp_path: Path) -> None:
    from argmap.io.proposals import expand_paths

    for name in ("b.yml", "a.yaml", ".hidden.yaml", "notes.txt"):
        (tmp_path / name).write_text("title: t\n", encoding="utf-8")
    (tmp_path / "sub.yaml").mkdir()
    assert [Path(p).name for p in expand_paths([str(tmp_path)])] == ["a.yaml", "b.yml"]
    empty = tmp_path / "sub.yaml"
    with pytest.raises(InputError, match=r"no proposal files \(\.yaml or \.yml\)"):
        expand_paths([str(empty)])
