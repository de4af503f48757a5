"""Fuzzing every input path with hypothesis: YAML, proposals, scenarios, design spaces,
what-if changes, framework files and command lines.

Two kinds of input: random bytes and text (including YAML-flavoured token soup,
with tags, anchors and flow markers), and STRUCTURED documents built from the
knowledge base's own vocabulary (the source of schema/*.schema.json), mostly
valid, with mutations: wrong types, unknown keys, typos, extreme values,
unicode, deep nesting, ASP text.  The properties:

* the Python API raises nothing but InputError, and an InputError names the
  file (and, for a file's content, the line);
* a command ends with exit code 0, 1 or 2, never with a traceback, and an
  error about a file starts `argmap: FILE:LINE:` (`argmap: FILE:` for a file
  that is empty or too large);
* a single, known mutation of a valid proposal is reported at its key and line;
* what schema/*.schema.json accepts, argmap loads (and, for proposals, the reverse);
* valid input gives the same bytes on two runs (in one process, and in two
  processes with different hash seeds).

Failing examples hypothesis found are checked in under tests/regressions/ and
replayed by `test_regression_*` below; while a bug is open, the generators step
around its trigger (see "known bugs") so that the fuzzers keep finding new ones.
Commands share one grounded knowledge base per kind (`shared_kb`): what is
fuzzed is the input handling, and a grounding per example would make the file
too slow to run on every commit.  Settings: tests/fuzz_settings.py
(deterministic; ARGMAP_FUZZ_SCALE=10 for a longer run).
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import assume, example, given, note
from hypothesis import strategies as st

import argmap
from argmap.analysis.testing import keyword_matcher
from argmap.cli.root import main
from argmap.io.changes import parse_changes
from argmap.io.config import Config
from argmap.io.proposals import load_proposal
from argmap.io.scenarios import load_scenarios
from argmap.io.spaces import load_space
from argmap.io.yamltree import MAX_BYTES, load_yaml
from argmap.model.errors import InputError, visible
from cli_runner import shared_engines
from fuzz_settings import examples
from helpers import PROPOSALS, ROOT

REGRESSIONS = Path(__file__).resolve().parent / "regressions"
#: libyaml's emitter and parser where PyYAML has them: the pure-Python emitter spends most of this file's
#: time writing the long strings the generators draw.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def dump(doc: Any, **options: Any) -> str:
    """`doc` as YAML text (as yaml.safe_dump)."""
    return yaml.dump(doc, Dumper=_DUMPER, **options)  # type: ignore[no-any-return]


def load(text: str | bytes) -> Any:
    """YAML text as Python data (as yaml.safe_load)."""
    return yaml.load(text, Loader=_LOADER)


# ---------------------------------------------------------------- the vocabulary
# The knowledge base's own vocabulary: what schema/proposal.schema.json and
# schema/scenario.schema.json are generated from.
VOC = argmap.Argmap(config=Config()).vocabulary
COMPONENTS = VOC.components
REGISTRY = VOC.registry
COMPONENT_KEYS = sorted(COMPONENTS)
CLAIMS = sorted(VOC.claims)
ACTORS = list(VOC.actors)
ISSUES = sorted(VOC.positions)
SNAPSHOT_DATES = [f"{d // 10000:04d}-{d // 100 % 100:02d}-{max(d % 100, 1):02d}" for d in VOC.snapshots]
META_KEYS = ("title", "source", "notes", "id", "open", "phases")
VALID_PROPOSALS = sorted(str(p) for p in PROPOSALS.glob("*.yaml"))
RISKS = REGISTRY["risk"].values

#: Text that would mean something to clingo if it ever reached a program.
INJECTIONS = (
    '"). credible. #show credible/0. %',
    "x). :- not credible. %",
    "credible.\n#show.",
    '#include "/etc/passwd".',
    "us_role). set(us_role,backstop",
    "backstop; ground_troops",
    "1..100000000",
    "#const max_phases=1000.",
    "%*! injected(X)\n",
    "__fired(0,credible,(),())",
    "p(X) :- X = 1..100000000.",
    "$(rm -rf /)",
    "{{ title }}",
    "\\x00",
    "a\x00b",
    "\u202eevil",
    "\ufeffbom",
    "ütf-8 ✓ 中文 😀",
    " ",
    "",
)


# ---------------------------------------------------------------- known bugs
# While a bug is open it has a strict xfail test (tests/regressions/ with a `# BUG:`
# line, or test_hostile.py / test_interrupt.py), and `sidestep` removes its
# trigger from generated input, so that the fuzzers keep looking for new
# failures instead of rediscovering it.  Every bug the fuzzers found so far is
# fixed (see tests/regressions/), so there is nothing to step around.
def sidestep(text: str) -> str:
    """`text` without the triggers of the open bugs (none at present)."""
    return text


def sidestep_bytes(data: bytes) -> bytes:
    try:
        return sidestep(data.decode("utf-8")).encode("utf-8")
    except UnicodeDecodeError:
        return data  # refused as not UTF-8 before YAML sees it


# ---------------------------------------------------------------- strategies
def typo(word: str) -> st.SearchStrategy[str]:
    """A near miss of `word`: a letter dropped, doubled, swapped or changed; other case; - for _."""
    n = len(word)
    options: list[st.SearchStrategy[str]] = [
        st.just(word.upper()),
        st.just(word.replace("_", "-")),
        st.just(word + "s"),
        st.just(" " + word),
    ]
    if n > 1:
        options += [
            st.integers(0, n - 1).map(lambda i: word[:i] + word[i + 1 :]),
            st.integers(0, n - 1).map(lambda i: word[:i] + word[i] + word[i:]),
            st.integers(0, n - 2).map(lambda i: word[:i] + word[i + 1] + word[i] + word[i + 2 :]),
            st.tuples(st.integers(0, n - 1), st.sampled_from("aeiouxz_9")).map(
                lambda t: word[: t[0]] + t[1] + word[t[0] + 1 :]
            ),
        ]
    return st.one_of(options).filter(lambda w: w != word)


SHORT_TEXT = st.text(max_size=30)
FREE_TEXT = st.one_of(
    st.text(min_size=1, max_size=60).filter(str.strip),
    st.sampled_from(INJECTIONS).filter(str.strip),
    st.just("x" * 20_000),
)
WRONG = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    SHORT_TEXT,
    st.sampled_from(INJECTIONS),
    st.just([]),
    st.just({}),
    st.lists(st.integers(-3, 3), min_size=1, max_size=3),
    st.dictionaries(st.sampled_from(["a", "lead", "x y"]), st.integers(0, 3), min_size=1, max_size=2),
    st.dates(),
    st.just("x" * 5000),
)


def valid_value(key: str) -> st.SearchStrategy[Any]:
    comp = COMPONENTS[key]
    if comp.arity == "flag":
        return st.booleans()
    values = st.sampled_from(list(comp.values))
    if comp.arity == "one":
        return values
    return st.one_of(values, st.lists(values, min_size=1, max_size=4, unique=True))


def is_valid_value(key: str, value: Any) -> bool:
    comp = COMPONENTS[key]
    if comp.arity == "flag":
        return isinstance(value, bool)
    if comp.arity == "one":
        return isinstance(value, str) and value in comp.values
    items = value if isinstance(value, list) else [value]
    return (
        bool(items)
        and all(isinstance(v, str) and v in comp.values for v in items)
        and len(set(map(str, items))) == len(items)
    )


def settings_of(max_size: int = 6, keys: list[str] | None = None) -> st.SearchStrategy[dict[str, Any]]:
    pool = keys or COMPONENT_KEYS
    return st.lists(st.sampled_from(pool), unique=True, max_size=max_size).flatmap(
        lambda ks: st.fixed_dictionaries({k: valid_value(k) for k in ks})
    )


@st.composite
def phases(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    years = 0
    stages = sorted(draw(st.lists(st.sampled_from([0, 1, 2]), min_size=1, max_size=3)))
    for n, stage in enumerate(stages):
        timing: Any = ("before_ceasefire", "at_ceasefire", "after_ceasefire")[stage]
        if stage == 2:
            years = draw(st.integers(years, 30))
            timing = {"after_ceasefire": years}
        phase: dict[str, Any] = {"name": f"phase {n}", "timing": timing}
        changes = draw(settings_of(3))
        if changes:
            phase["set"] = changes
        if draw(st.booleans()):
            phase["remove"] = draw(st.lists(st.sampled_from(COMPONENT_KEYS), max_size=2, unique=True))
        out.append(phase)
    return out


@st.composite
def valid_proposals(draw: st.DrawFn) -> dict[str, Any]:
    """A proposal document the schema accepts."""
    doc: dict[str, Any] = {"title": draw(FREE_TEXT), "source": draw(FREE_TEXT)}
    doc.update(draw(settings_of(8)))
    if draw(st.booleans()):
        doc["notes"] = draw(FREE_TEXT)
    if draw(st.integers(0, 4)) == 0:
        doc["id"] = draw(st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True))
    if draw(st.integers(0, 3)) == 0:
        free = [k for k in COMPONENT_KEYS if k not in doc or COMPONENTS[k].arity == "many"]
        doc["open"] = draw(st.lists(st.sampled_from(free), min_size=1, max_size=3, unique=True))
    if draw(st.integers(0, 5)) == 0:
        doc["phases"] = draw(phases())
    # Shuffle the key order: the YAML follows it.
    keys = draw(st.permutations(list(doc)))
    return {k: doc[k] for k in keys}


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*prefix, i))


def _get(obj: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        obj = obj[step]
    return obj


def _nest(value: Any, depth: int, kind: str) -> Any:
    for _ in range(depth):
        value = [value] if kind == "list" else {"k": value}
    return value


MUTATIONS = ("wrong", "rename", "delete", "unknown", "nest", "deep", "inject", "duplicate", "empty")


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[Any], max_mutations: int = 3) -> Any:
    """A document from `base` with up to `max_mutations` random mutations anywhere in its tree."""
    doc = copy.deepcopy(draw(base))
    for _ in range(draw(st.integers(0, max_mutations))):
        path = draw(st.sampled_from(list(_paths(doc))))
        op = draw(st.sampled_from(MUTATIONS))
        if not path:
            if op in ("wrong", "nest"):
                doc = draw(WRONG) if op == "wrong" else [doc]
            continue
        parent, last = _get(doc, path[:-1]), path[-1]
        note(f"mutation {op} at {path!r}")
        if op == "wrong":
            parent[last] = draw(WRONG)
        elif op == "inject":
            parent[last] = draw(st.sampled_from(INJECTIONS))
        elif op == "nest":
            parent[last] = _nest(parent[last], draw(st.integers(1, 3)), draw(st.sampled_from(["list", "map"])))
        elif op == "deep":
            parent[last] = _nest(parent[last], draw(st.integers(25, 40)), draw(st.sampled_from(["list", "map"])))
        elif op == "duplicate":
            parent[last] = [parent[last], parent[last]]
        elif op == "empty":
            parent[last] = draw(st.sampled_from([None, "", [], {}]))
        elif isinstance(parent, dict):
            if op == "delete":
                del parent[last]
            elif op == "rename" and isinstance(last, str) and last:
                new = draw(typo(last))
                if new not in parent:
                    parent[new] = parent.pop(last)
            elif op == "unknown":
                parent[draw(st.one_of(SHORT_TEXT, st.sampled_from(INJECTIONS)))] = draw(WRONG)
        elif isinstance(parent, list) and op == "delete":
            del parent[last]
    return doc


@st.composite
def yaml_text(draw: st.DrawFn, doc: Any) -> str:
    """`doc` as YAML, in block or flow style, with or without escapes."""
    return dump(
        doc,
        sort_keys=False,
        allow_unicode=draw(st.booleans()),
        default_flow_style=draw(st.sampled_from([False, None, True])),
        width=draw(st.sampled_from([80, 10_000])),
    )


TEXT_EDITS = ("none", "bom", "crlf", "tab", "dup_line", "truncate", "insert", "comment", "doc_markers", "nul")


@st.composite
def edited_bytes(draw: st.DrawFn, text: str) -> bytes:
    """YAML text with a textual edit: a BOM, CRLF, a tab, a duplicated line, a cut, a stray character."""
    edit = draw(st.sampled_from(TEXT_EDITS))
    note(f"text edit {edit}")
    lines = text.splitlines(keepends=True) or [""]
    if edit == "bom":
        text = "\ufeff" + text
    elif edit == "crlf":
        text = text.replace("\n", "\r\n")
    elif edit == "tab":
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = "\t" + lines[i]
        text = "".join(lines)
    elif edit == "dup_line":
        i = draw(st.integers(0, len(lines) - 1))
        lines.insert(i + 1, lines[i])
        text = "".join(lines)
    elif edit == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif edit == "insert":
        i = draw(st.integers(0, len(text)))
        text = text[:i] + draw(st.sampled_from([*list(":-[]{}&*!|>'\"%@`#,?\t\n"), "!!bool ", "&a ", "*a "])) + text[i:]
    elif edit == "comment":
        text = "# a comment ü\n" + text + "# trailing\n"
    elif edit == "doc_markers":
        text = "---\n" + text + draw(st.sampled_from(["...\n", "---\n", "---\nx: 1\n"]))
    elif edit == "nul":
        return text.encode("utf-8") + b"\x00\xff"
    return sidestep(text).encode("utf-8")


#: Pieces of YAML syntax, for token soup: tags (including explicit ones with bad values), anchors, flow.
YAML_TOKENS = (
    "title: ",
    "source: ",
    "lead: ",
    "us_role: ",
    "guarantors: ",
    "open: ",
    "phases: ",
    "timing: ",
    "european",
    "backstop",
    "true",
    "false",
    "null",
    "~",
    "0",
    "-1",
    "1e999",
    ".nan",
    "0x1F",
    "2025-02-30",
    "\n",
    "\n  ",
    "\n- ",
    "- ",
    ": ",
    ", ",
    "[",
    "]",
    "{",
    "}",
    "? ",
    "|\n  ",
    ">-\n  ",
    "&a ",
    "*a",
    "<<: ",
    "!!bool ",
    "!!int ",
    "!!float ",
    "!!timestamp ",
    "!!binary ",
    "!!str ",
    "!!set ",
    "!!omap ",
    "!!pairs ",
    "!!python/object:os.system ",
    "!custom ",
    "%YAML 1.1\n---\n",
    "%TAG ! tag:x,2000:\n",
    '"',
    "'",
    "\\",
    "#",
    "\t",
    "\ufeff",
    "é",
    "\u2028",
    "\x85",
    "maybe",
    "xyz",
    "_",
    "",
    '""',
)
YAML_SOUP = st.lists(st.sampled_from(YAML_TOKENS), max_size=30).map("".join).map(sidestep)


# ---------------------------------------------------------------- checking results
LOCATED = re.compile(r"^argmap: (?P<path>.+?):(?P<line>\d+)(?::(?P<col>\d+))?: error: ")
#: File errors that rightly have no line: the whole file is at fault.
WHOLE_FILE = ("the file is empty", "bytes; the limit is", "larger than the limit")


def yaml_lines(text: str) -> int:
    """How many lines YAML sees: it also breaks lines at CR, NEL, LS and PS."""
    return len(re.findall("\r\n|[\n\r\x85\u2028\u2029]", text)) + 1


def invoke(args: list[str], **kw: Any) -> Result:
    return CliRunner().invoke(main, args, **kw)


def assert_clean(result: Result, codes: tuple[int, ...] = (0, 1, 2)) -> None:
    """Exit 0, 1 or 2 and no traceback."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        text = "".join(traceback.format_exception(*result.exc_info)) if result.exc_info else repr(result.exception)
        pytest.fail(f"uncaught {type(result.exception).__name__}:\n{text}\nstderr: {result.stderr}")
    assert result.exit_code in codes, (
        f"exit {result.exit_code}\nstdout: {result.stdout[:2000]}\nstderr: {result.stderr}"
    )
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout


def assert_names_file(result: Result, path: str, text: str | None = None, stdout: str = "") -> None:
    """An exit-2 error about `path` starts `argmap: PATH:LINE[:COL]: error:` (or `argmap: PATH: error:`
    for an error about the whole file), and nothing is printed to stdout (but `stdout`: the empty
    JSON list of `check --format json`, which streams)."""
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0] if result.stderr else ""
    assert first.startswith(f"argmap: {path}:"), f"the error does not name {path}: {result.stderr!r}"
    match = LOCATED.match(first)
    if match is None or match.group("path") != path:
        assert any(w in first for w in WHOLE_FILE), f"the error names no line: {first!r}"
    elif text is not None:
        assert 1 <= int(match.group("line")) <= yaml_lines(text) + 1, first
    assert result.stdout == stdout


def assert_input_error(exc: InputError, path: str, text: str | None = None) -> None:
    """An InputError about a file's content names the file and a line inside it."""
    assert exc.path == path, f"{exc} names {exc.path!r}, not {path!r}"
    assert str(exc).startswith(f"{path}:"), str(exc)
    if exc.line is None:
        assert any(w in exc.message for w in WHOLE_FILE), f"no line in: {exc}"
    elif text is not None:
        assert 1 <= exc.line <= yaml_lines(text) + 1, str(exc)


@functools.cache
def work() -> Path:
    """One scratch folder for the whole module (hypothesis examples cannot use tmp_path), removed at exit."""
    path = Path(tempfile.mkdtemp(prefix="argmap-fuzz-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def write(name: str, data: bytes | str) -> str:
    path = work() / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(path)


@contextlib.contextmanager
def shared_kb() -> Iterator[None]:
    """Commands run from the repository and share the grounded engines of the shipped knowledge base
    (see tests/cli_runner.py)."""
    with pytest.MonkeyPatch.context() as mp, shared_engines():
        mp.chdir(ROOT)
        yield


# ================================================================ YAML: bytes and token soup
def check_yaml_bytes(data: bytes) -> None:
    path = write("soup.yaml", data)
    try:
        node = load_yaml(path)
    except InputError as exc:
        assert_input_error(exc, path)
        return
    assert node.kind in ("scalar", "sequence", "mapping")


def check_proposal_bytes(data: bytes) -> None:
    """load_proposal on any bytes: a Proposal, or an InputError at a line of the file."""
    path = write("proposal.yaml", data)
    text = data.decode("utf-8", "replace")
    try:
        proposal = load_proposal(path, VOC)
    except InputError as exc:
        assert_input_error(exc, path, text)
        return
    assert proposal.title and proposal.source


@examples(150)
@given(st.binary(max_size=400).map(sidestep_bytes))
def test_load_yaml_random_bytes(data: bytes) -> None:
    check_yaml_bytes(data)


@examples(150)
@given(YAML_SOUP)
def test_load_proposal_yaml_token_soup(text: str) -> None:
    check_proposal_bytes(text.encode("utf-8"))


@examples(100)
@given(st.text(max_size=300).map(sidestep))
def test_load_proposal_random_text(text: str) -> None:
    check_proposal_bytes(text.encode("utf-8"))


# ================================================================ proposals
PROPOSAL_DOCS = mutated(valid_proposals())


@examples(150)
@given(st.data())
def test_proposal_documents_load_or_fail_at_a_line(data: st.DataObject) -> None:
    doc = data.draw(PROPOSAL_DOCS, label="document")
    raw = data.draw(edited_bytes(data.draw(yaml_text(doc))), label="bytes")
    check_proposal_bytes(raw)


@examples(60)
@given(st.data())
def test_check_on_fuzzed_proposals_exits_cleanly(data: st.DataObject) -> None:
    doc = data.draw(PROPOSAL_DOCS, label="document")
    raw = data.draw(edited_bytes(data.draw(yaml_text(doc))), label="bytes")
    path = write("check.yaml", raw)
    fmt = data.draw(st.sampled_from(["text", "json"]))
    with shared_kb():
        result = invoke(["check", "--format", fmt, path])
    assert_clean(result)
    if result.exit_code == 2:
        assert_names_file(result, path, raw.decode("utf-8", "replace"), stdout="[]\n" if fmt == "json" else "")
    elif result.exit_code != 2 and fmt == "json":
        assert [v["file"] for v in json.loads(result.stdout)] == [path]


@examples(40)
@given(valid_proposals())
def test_valid_proposals_give_the_same_bytes_twice(doc: dict[str, Any]) -> None:
    path = write("valid.yaml", dump(doc, sort_keys=False, allow_unicode=True))
    with shared_kb():
        first = invoke(["check", "--format", "json", path])
        second = invoke(["check", "--format", "json", path])
        text = invoke(["check", path])
    for result in (first, second, text):
        assert_clean(result, (0, 1))
    assert first.stdout_bytes == second.stdout_bytes
    assert json.loads(first.stdout)[0]["title"] == doc["title"].strip()


# -------- one known mutation: reported at its key and its line
def _line_of_key(text: str, key: str, nth: int = 1) -> int:
    found = [i for i, line in enumerate(text.splitlines(), 1) if line.startswith(f"{key}:")]
    return found[nth - 1]


def _block(doc: dict[str, Any]) -> str:
    return dump(doc, sort_keys=False, allow_unicode=True, default_flow_style=False, width=10_000)


@st.composite
def one_mutation(draw: st.DrawFn) -> tuple[dict[str, Any], str, str]:
    """A valid proposal (components only, no phases) with one mutation, its kind, and the key it hits."""
    doc: dict[str, Any] = {"title": "A title", "source": "A source"}
    doc.update(draw(settings_of(6)))
    kind = draw(st.sampled_from(["unknown_key", "typo_key", "wrong_value", "typo_value", "missing"]))
    if kind == "missing":
        key = draw(st.sampled_from(["title", "source"]))
        del doc[key]
        return doc, kind, key
    if kind == "unknown_key":
        key = draw(st.from_regex(r"[a-z][a-z_]{0,15}", fullmatch=True))
        assume(key not in COMPONENTS and key not in META_KEYS and key not in doc)
        doc[key] = draw(st.one_of(WRONG, valid_value(draw(st.sampled_from(COMPONENT_KEYS)))))
        return doc, kind, key
    if kind == "typo_key":
        real = draw(st.sampled_from(COMPONENT_KEYS))
        key = draw(typo(real).filter(lambda k: re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", k) is not None))
        assume(key not in COMPONENTS and key not in META_KEYS and key not in doc)
        doc[key] = draw(valid_value(real))
        return doc, kind, key
    key = draw(st.sampled_from(COMPONENT_KEYS))
    if kind == "wrong_value":
        value = draw(WRONG)
    else:
        comp = COMPONENTS[key]
        assume(comp.arity != "flag")
        value = draw(typo(draw(st.sampled_from(list(comp.values)))))
    assume(not is_valid_value(key, value))
    doc[key] = value
    return doc, kind, key


@examples(150)
@given(one_mutation())
def test_one_mutation_is_reported_at_its_key_and_line(case: tuple[dict[str, Any], str, str]) -> None:
    doc, kind, key = case
    text = _block(doc)
    path = write("one.yaml", text)
    with pytest.raises(InputError) as info:
        load_proposal(path, VOC)
    exc = info.value
    assert_input_error(exc, path, text)
    assert exc.key == key, f"{kind}: expected key {key!r} in: {exc}"
    if kind == "missing":
        assert exc.line == 1  # the mapping that lacks it
        return
    line = _line_of_key(text, key)
    lines = text.splitlines()
    # The value of `key` runs to the next line that starts a top-level key.
    end = next((n for n in range(line + 1, len(lines) + 1) if not lines[n - 1].startswith((" ", "-"))), len(lines) + 1)
    assert line <= exc.line < max(end, line + 1), f"{kind}: {key} is on line {line}, the error says: {exc}"
    if kind in ("unknown_key", "typo_key"):
        assert exc.line == line and exc.message == "unknown key"
    if kind == "typo_key" and key.lower() != key.upper() and key == key.lower():
        assert exc.suggestion in COMPONENTS, f"no 'did you mean' for a typo: {exc}"


@examples(60)
@given(st.sampled_from(COMPONENT_KEYS), st.data())
def test_a_duplicated_key_is_an_error_at_the_second_one(key: str, data: st.DataObject) -> None:
    doc = {"title": "A title", "source": "A source", key: data.draw(valid_value(key))}
    text = _block(doc)
    lines = text.splitlines(keepends=True)
    i = _line_of_key(text, key) - 1
    block = [lines[i]] + [x for x in lines[i + 1 :] if x.startswith(("-", " "))]
    text = "".join(lines + block)  # the key again, at the end: last-one-wins would hide it
    path = write("dup.yaml", text)
    with pytest.raises(InputError) as info:
        load_proposal(path, VOC)
    assert info.value.key == key
    assert info.value.line == _line_of_key(text, key, nth=2)
    assert "duplicate key" in info.value.message


# -------- the JSON Schemas (schema/*.schema.json) and the loaders agree
SCHEMA_FILES = {kind: ROOT / "schema" / f"{kind}.schema.json" for kind in ("proposal", "scenario")}


@functools.cache
def _validator(kind: str) -> Any:
    """The JSON Schema validator of schema/<kind>.schema.json (built once: building it is slow)."""
    jsonschema = pytest.importorskip("jsonschema")
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILES[kind].read_text(encoding="utf-8")))


def _schema_errors(kind: str, data: Any) -> list[str]:
    validator = _validator(kind)
    try:
        found = list(validator.iter_errors(data))
    except TypeError as exc:  # a key that is not a string: not a JSON object at all
        return [str(exc)]
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found]


@examples(150)
@given(mutated(valid_proposals(), max_mutations=2))
def test_the_proposal_schema_and_the_loader_agree(doc: Any) -> None:
    text = _block(doc) if isinstance(doc, dict) else dump(doc)
    path = write("schema_check.yaml", text)
    errors = _schema_errors("proposal", load(text))
    try:
        load_proposal(path, VOC)
    except InputError as exc:
        loaded = False
        note(f"argmap: {exc}")
    else:
        loaded = True
    note(f"schema: {errors}")
    assert loaded == (not errors), "argmap loads it" if loaded else "the schema accepts it, argmap does not"


# ================================================================ scenarios
SMALL_KEYS = [k for k in COMPONENT_KEYS if COMPONENTS[k].arity != "many"]
CHANGE_SETS = st.fixed_dictionaries(
    {},
    optional={
        "set": settings_of(2),
        "add": settings_of(1, [k for k in COMPONENT_KEYS if COMPONENTS[k].arity == "many"]),
        "unset": st.lists(st.sampled_from(COMPONENT_KEYS), min_size=1, max_size=2, unique=True),
        # A list component left open has up to 2^12 completions, each traced by `argmap test`: slow, not wrong.
        "open": st.lists(st.sampled_from(SMALL_KEYS), min_size=1, max_size=2, unique=True),
        "reject_claim": st.lists(st.sampled_from(CLAIMS), min_size=1, max_size=3, unique=True),
        "as_of": st.sampled_from(SNAPSHOT_DATES),
        "as_of_actor": st.dictionaries(
            st.sampled_from(ACTORS), st.sampled_from(SNAPSHOT_DATES), min_size=1, max_size=2
        ),
        "stance": st.sampled_from(ISSUES).flatmap(
            lambda issue: st.dictionaries(
                st.sampled_from(ACTORS).map(lambda a: f"{a}.{issue}"),
                st.sampled_from(list(VOC.positions[issue])),
                min_size=1,
                max_size=2,
            )
        ),
    },
)
#: An expected reason: a claim alone, or with a verdict and an effect that verdict has (pro/con, a level, a member).
REASONS = st.one_of(
    st.sampled_from(CLAIMS),
    st.sampled_from(list(REGISTRY)).flatmap(
        lambda spec: st.fixed_dictionaries(
            {"claim": st.sampled_from(CLAIMS)},
            optional={"verdict": st.just(spec.name), "effect": st.sampled_from(list(spec.effects))},
        )
    ),
)


def _expected_value(spec: argmap.VerdictSpec) -> st.SearchStrategy[Any]:
    """What `expect:` may say of a verdict of this kind (see argmap.io.scenarios)."""
    if spec.kind == "bool":
        return st.one_of(st.booleans(), st.sampled_from(["all", "some", "none"]))
    values = st.sampled_from(list(spec.values))
    if spec.kind == "level":
        return st.one_of(values, st.lists(values, min_size=1, max_size=3, unique=True))
    return st.lists(values, max_size=1)


EXPECTS = st.fixed_dictionaries(
    {"credible": st.booleans()},
    optional={
        **{spec.name: _expected_value(spec) for spec in REGISTRY if spec.name != "credible"},
        "reasons": st.lists(REASONS, max_size=2),
    },
)
CASE_NAMES = st.one_of(
    st.from_regex(r"[A-Za-z][A-Za-z0-9 ]{0,20}", fullmatch=True), st.sampled_from(INJECTIONS).filter(str.strip)
)


@st.composite
def valid_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    cases = []
    names = draw(st.lists(CASE_NAMES, min_size=1, max_size=3, unique_by=str.strip))
    for name in names:
        case: dict[str, Any] = {"name": name}
        if draw(st.booleans()):
            case["proposal"] = draw(st.sampled_from(VALID_PROPOSALS))
        else:
            inline = {"title": "inline", "source": "fuzz"}
            inline.update(draw(settings_of(4)))
            case["proposal"] = inline
        if draw(st.booleans()):
            case["changes"] = draw(CHANGE_SETS)
        if draw(st.booleans()):
            case["tags"] = draw(
                st.lists(st.from_regex(r"[a-z]{1,6}", fullmatch=True), min_size=1, max_size=2, unique=True)
            )
        if draw(st.integers(0, 2)) == 0:
            variations = draw(
                st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=1, max_size=2, unique=True)
            )
            case["variations"] = [
                {"name": v, "changes": draw(CHANGE_SETS), "expect": draw(EXPECTS)} for v in variations
            ]
        else:
            case["expect"] = draw(EXPECTS)
        cases.append(case)
    return {"scenarios": cases}


SCENARIO_DOCS = mutated(valid_scenarios())


def assert_names_scenario(result: Result, path: str) -> None:
    """An exit-2 error of `argmap test` names the scenario file (or a proposal file it names) and a line."""
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"argmap: {path}:") or any(first.startswith(f"argmap: {p}:") for p in VALID_PROPOSALS), (
        f"the error names no file: {first!r}"
    )
    assert LOCATED.match(first) or any(w in first for w in WHOLE_FILE), first


def check_scenario_bytes(data: bytes, path: str | None = None) -> None:
    """load_scenarios on any bytes: cases, or an InputError at a line (of the file, or of a proposal it names)."""
    path = path or write("scenario.yaml", data)
    try:
        loaded = load_scenarios(path, VOC)
    except InputError as exc:
        assert (exc.path is not None and exc.line is not None) or any(w in exc.message for w in WHOLE_FILE), str(exc)
        assert exc.path == path or exc.path in VALID_PROPOSALS, str(exc)
        return
    assert all(c.file == path for c in loaded.cases)


@examples(150)
@given(st.data())
def test_scenario_documents_load_or_fail_at_a_line(data: st.DataObject) -> None:
    doc = data.draw(SCENARIO_DOCS, label="document")
    check_scenario_bytes(data.draw(edited_bytes(data.draw(yaml_text(doc))), label="bytes"))


@examples(40)
@given(st.data())
def test_argmap_test_on_fuzzed_scenarios_exits_cleanly(data: st.DataObject) -> None:
    doc = data.draw(SCENARIO_DOCS, label="document")
    raw = data.draw(edited_bytes(data.draw(yaml_text(doc))), label="bytes")
    path = write("test.yaml", raw)
    fmt = data.draw(st.sampled_from(["pretty", "json", "junit"]))
    with shared_kb():
        result = invoke(["test", "--format", fmt, path])
    assert_clean(result)
    if result.exit_code == 2:
        assert_names_scenario(result, path)


@examples(25)
@given(valid_scenarios())
def test_valid_scenarios_give_the_same_bytes_twice(doc: dict[str, Any]) -> None:
    path = write("valid_scenario.yaml", dump(doc, sort_keys=False, allow_unicode=True))
    with shared_kb():
        runs = [invoke(["test", "--format", "json", path]) for _ in range(2)]
    for result in runs:
        assert_clean(result, (0, 1))
    assert runs[0].stdout_bytes == runs[1].stdout_bytes
    assert runs[0].stderr_bytes == runs[1].stderr_bytes


# ================================================================ design spaces
@st.composite
def valid_spaces(draw: st.DrawFn) -> dict[str, Any]:
    keys = draw(st.lists(st.sampled_from(COMPONENT_KEYS), min_size=1, max_size=7, unique=True))
    split = draw(st.integers(0, len(keys) - 1))
    fixed_keys, choice_keys = keys[:split], keys[split:]
    doc: dict[str, Any] = {"title": draw(FREE_TEXT.filter(lambda t: len(t) < 200))}
    if fixed_keys:
        doc["fixed"] = {k: draw(valid_value(k)) for k in fixed_keys}
    choices: dict[str, Any] = {}
    for k in choice_keys:
        comp = COMPONENTS[k]
        values = draw(st.lists(st.sampled_from(list(comp.values)), min_size=1, max_size=4, unique=True))
        if comp.arity == "flag":
            values = [v == "true" for v in values]
        choices[k] = {v: draw(st.integers(0, 10)) for v in values} if draw(st.integers(0, 3)) else values
    doc["choices"] = choices
    if draw(st.booleans()):
        doc["constraints"] = [
            {draw(st.sampled_from(["forbid", "require"])): {k: draw(valid_value(k))}, "note": draw(FREE_TEXT)}
            for k in draw(st.lists(st.sampled_from(choice_keys), max_size=2, unique=True))
        ]
    return doc


SPACE_DOCS = mutated(valid_spaces())


@examples(150)
@given(st.data())
def test_space_documents_load_or_fail_at_a_line(data: st.DataObject) -> None:
    doc = data.draw(SPACE_DOCS, label="document")
    raw = data.draw(edited_bytes(data.draw(yaml_text(doc))), label="bytes")
    path = write("space.yaml", raw)
    try:
        space = load_space(path, VOC)
    except InputError as exc:
        assert_input_error(exc, path, raw.decode("utf-8", "replace"))
        return
    assert space.size() >= 1


@examples(150)
@given(mutated(valid_scenarios(), max_mutations=2))
def test_what_the_scenario_schema_accepts_argmap_loads(doc: Any) -> None:
    text = dump(doc, sort_keys=False, allow_unicode=True)
    path = write("schema_scenario.yaml", text)
    errors = _schema_errors("scenario", load(text))
    try:
        load_scenarios(path, VOC)
    except InputError as exc:
        note(f"argmap: {exc}")
        # What a schema cannot know: whether a proposal file exists, and whether names repeat.
        assume("no proposal file" not in exc.message and "two cases are named" not in exc.message)
        loaded = False
    else:
        loaded = True
    note(f"schema: {errors}")
    # One way only: the loader is knowingly more lenient (a single word for a list of tags).
    assert loaded or errors, "the schema accepts it, argmap does not"


EXPLORE_ARGS = ["--count-limit", "50", "--limit", "2", "--optima", "2"]


@examples(30)
@given(st.data())
def test_explore_on_fuzzed_spaces_exits_cleanly(data: st.DataObject) -> None:
    doc = data.draw(SPACE_DOCS, label="document")
    raw = data.draw(edited_bytes(data.draw(yaml_text(doc))), label="bytes")
    path = write("explore.yaml", raw)
    fmt = data.draw(st.sampled_from(["text", "json", "jsonl"]))
    with shared_kb():
        result = invoke(["explore", *EXPLORE_ARGS, "--format", fmt, path])
    assert_clean(result)
    if result.exit_code == 2:
        assert_names_file(result, path, raw.decode("utf-8", "replace"))


@examples(15)
@given(valid_spaces())
def test_valid_spaces_give_the_same_bytes_twice(doc: dict[str, Any]) -> None:
    path = write("valid_space.yaml", dump(doc, sort_keys=False, allow_unicode=True))
    with shared_kb():
        runs = [invoke(["explore", *EXPLORE_ARGS, "--format", "json", path]) for _ in range(2)]
    for result in runs:
        assert_clean(result, (0, 1))
    assert runs[0].stdout_bytes == runs[1].stdout_bytes


# ================================================================ what-if changes
def _pairs(keys: list[str], value_of: Callable[[str], st.SearchStrategy[str]]) -> st.SearchStrategy[str]:
    return st.sampled_from(keys).flatmap(lambda k: value_of(k).map(lambda v: f"{k}={v}"))


def _values(key: str) -> st.SearchStrategy[str]:
    return st.sampled_from(list(COMPONENTS[key].values)) if key in COMPONENTS else st.just("x")


ASSIGNMENT = _pairs(COMPONENT_KEYS, _values)
STANCE = st.sampled_from(ISSUES).flatmap(
    lambda i: st.tuples(st.sampled_from(ACTORS), st.sampled_from(list(VOC.positions[i]))).map(
        lambda t: f"{t[0]}.{i}={t[1]}"
    )
)
DATES = st.one_of(
    st.sampled_from(SNAPSHOT_DATES),
    st.dates().map(str),
    st.from_regex(r"\d{4}-?\d{2}(-?\d{2})?", fullmatch=True),
    SHORT_TEXT,
)


def fuzzed(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Mostly valid strings, some with a typo, some ASP text, some random."""
    return st.one_of(
        valid,
        valid.flatmap(typo),
        valid.map(lambda v: v.replace("=", "")),
        valid.map(lambda v: v + "=" + v),
        st.sampled_from(INJECTIONS),
        valid.map(lambda v: v.split("=")[0] + "=" + INJECTIONS[0]),
        SHORT_TEXT,
    )


CHANGE_ARGS = st.fixed_dictionaries(
    {},
    optional={
        "sets": st.lists(fuzzed(ASSIGNMENT), max_size=2).map(tuple),
        "adds": st.lists(fuzzed(ASSIGNMENT), max_size=2).map(tuple),
        "unsets": st.lists(fuzzed(st.one_of(st.sampled_from(COMPONENT_KEYS), ASSIGNMENT)), max_size=2).map(tuple),
        "opens": st.lists(fuzzed(st.sampled_from(COMPONENT_KEYS)), max_size=2).map(tuple),
        "rejects": st.lists(fuzzed(st.sampled_from(CLAIMS)), max_size=2).map(tuple),
        "as_of": DATES,
        "actor_as_of": st.lists(fuzzed(_pairs(ACTORS, lambda _: DATES)), max_size=2).map(tuple),
        "stances": st.lists(fuzzed(STANCE), max_size=2).map(tuple),
    },
)
CLI_FLAG = {
    "sets": "--set",
    "adds": "--add",
    "unsets": "--unset",
    "opens": "--open",
    "rejects": "--reject-claim",
    "as_of": "--as-of",
    "actor_as_of": "--as-of-actor",
    "stances": "--stance",
}


@examples(150)
@given(CHANGE_ARGS)
def test_parse_changes_accepts_or_names_the_offending_text(args: dict[str, Any]) -> None:
    try:
        changes = parse_changes(VOC, **args)
    except InputError as exc:
        given_texts = [t for v in args.values() for t in ((v,) if isinstance(v, str) else v)]
        quoted = re.findall(r"'([^']*)'", exc.message)
        pieces = {p.strip() for t in given_texts for p in re.split(r"[=.]", t) if p.strip()}
        named = (
            exc.message == "no change given"
            or any(q.strip() in t for q in quoted for t in given_texts)
            or any(p in exc.message or p == exc.key for p in pieces)
        )
        assert named, f"the error names none of the given values {given_texts}: {exc}"
        assert exc.path is None
        return
    assert changes


@examples(60)
@given(CHANGE_ARGS, st.sampled_from(VALID_PROPOSALS), st.sampled_from(["text", "json"]))
def test_whatif_on_fuzzed_changes_exits_cleanly(args: dict[str, Any], proposal: str, fmt: str) -> None:
    argv = ["whatif", proposal, "--format", fmt]
    for name, value in args.items():
        for item in (value,) if isinstance(value, str) else value:
            argv.append(f"{CLI_FLAG[name]}={item}")
    with shared_kb():
        result = invoke(argv)
    assert_clean(result)
    if result.exit_code == 2:
        assert result.stderr.startswith(("argmap: ", "Usage: ", "Error: ")), result.stderr
        assert result.stdout == ""


@examples(100)
@given(
    st.lists(st.one_of(st.sampled_from(["(", ")", "and", "or", "not", "whatif", "NATO", "x"]), SHORT_TEXT), max_size=12)
)
def test_keyword_expressions_parse_or_fail_cleanly(tokens: list[str]) -> None:
    try:
        keyword_matcher(" ".join(tokens))
    except InputError as exc:
        assert exc.key == "-k"


# ================================================================ command lines
def _command(name: str) -> click.Command | None:
    """A command of `argmap` (commands are loaded on first use; None if there is no such command)."""
    try:
        return main.get_command(click.Context(main), name)
    except ImportError:
        return None


def _options(command: str) -> list[str]:
    cmd = _command(command)
    assert cmd is not None
    names = [n for p in cmd.params for n in (*p.opts, *p.secondary_opts) if n.startswith("-")]
    return sorted({*names, "--help"} - {"--update", "--base", "--kb", "--layer", "--jobs", "-j", "--output", "-o"})


def _choices(command: str) -> list[str]:
    out: list[str] = []
    cmd = _command(command)
    assert cmd is not None
    for p in cmd.params:
        if isinstance(p.type, click.Choice):
            out += [str(c) for c in p.type.choices]
    return out


#: The commands fuzzed here (a new command joins once it is known not to write into the repository).
SAFE_COMMANDS = (
    "check",
    "claims",
    "explain",
    "whatif",
    "repair",
    "sensitivity",
    "test",
    "schema",
    "explore",
    "lint",
    "map",
    "kb-path",
    "diff",
)
OPTIONAL_COMMANDS = ("af", "af-kb")


def _commands() -> list[str]:
    return [*SAFE_COMMANDS, *(c for c in OPTIONAL_COMMANDS if _command(c) is not None)]


SMALL_SPACE = """title: small
fixed: {lead: european, guarantors: [uk, france]}
choices:
  us_role: {intelligence: 2, backstop: 3}
  air_defence: {true: 4, false: 0}
"""


def _files() -> list[str]:
    return [
        *VALID_PROPOSALS[:4],
        "proposals",
        "tests/scenarios/models.yaml",
        "tests/scenarios",
        write("small_space.yaml", SMALL_SPACE),
        "/nonexistent/x.yaml",
        "README.md",
        "rules/main.lp",
        ".",
        "",
        "-",
    ]


@st.composite
def argvs(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(_commands()))
    tokens = st.one_of(
        st.sampled_from(_options(command)),
        st.sampled_from(_choices(command) or ["x"]),
        st.sampled_from(_files()),
        st.sampled_from(
            ["0", "1", "-1", "2", "1e309", "nan", "99999999999999999999", "--", "-", "credible", "risk(high)"]
        ),
        st.sampled_from(INJECTIONS),
        SHORT_TEXT,
        ASSIGNMENT,
    )
    # A real command line cannot hold a NUL byte (C strings); CliRunner could pass one to click.
    argv = [command, *draw(st.lists(tokens.map(lambda t: t.replace("\x00", "")), max_size=7))]
    if draw(st.integers(0, 4)) == 0:
        argv = ["--timeout", draw(st.sampled_from(["5", "0", "-1", "abc", "1e309", "0.5", "nan", "inf"])), *argv]
    if command == "explore":
        argv += ["--count-limit", "50"]
    return argv


@examples(120)
@given(argvs())
def test_any_command_line_exits_cleanly(argv: list[str]) -> None:
    with shared_kb():
        result = invoke(argv)
    assert_clean(result)
    if result.exit_code == 2:
        assert result.stderr.startswith(("argmap: ", "Usage: ", "Error: ")), result.stderr


# ================================================================ argumentation frameworks (`argmap af`)
def _af_available() -> bool:
    return _command("af") is not None


needs_af = pytest.mark.skipif(not _af_available(), reason="`argmap af` does not exist in this tree")
AF_NAMES = st.one_of(st.from_regex(r"[A-Za-z0-9_]{1,8}", fullmatch=True), st.sampled_from(INJECTIONS), SHORT_TEXT)


@st.composite
def framework_text(draw: st.DrawFn) -> tuple[str, str]:
    """(format, text): a framework in apx, tgf or i23, mostly well formed."""
    fmt = draw(st.sampled_from(["apx", "tgf", "i23"]))
    n = draw(st.integers(0, 6))
    names = [f"a{i}" for i in range(n)]
    if draw(st.booleans()) and names:
        names[draw(st.integers(0, n - 1))] = draw(AF_NAMES)
    attacks = draw(st.lists(st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0))), max_size=8))
    if fmt == "apx":
        lines = [f"arg({a})." for a in names] + [f"att({names[i]},{names[j]})." for i, j in attacks if names]
    elif fmt == "tgf":
        lines = [*names, "#", *(f"{names[i]} {names[j]}" for i, j in attacks if names)]
    else:
        lines = [f"p af {n}", *(f"{i + 1} {j + 1}" for i, j in attacks if n)]
    extra = draw(
        st.lists(
            st.one_of(st.sampled_from(["", "%", "#", "p af 3", "arg(", "att(a,b,c).", "1 2 3"]), SHORT_TEXT), max_size=2
        )
    )
    for item in extra:
        lines.insert(draw(st.integers(0, len(lines))), item)
    return fmt, "\n".join(lines) + "\n"


@needs_af
@examples(150)
@given(framework_text())
def test_framework_files_parse_or_fail_at_a_line(case: tuple[str, str]) -> None:
    from argmap import af

    fmt, text = case
    path = write(f"framework.{fmt}", text)
    try:
        framework = af.read_framework(path)
    except InputError as exc:
        assert_input_error(exc, path, text)
        return
    assert framework is not None


@needs_af
@examples(60)
@given(
    framework_text(),
    st.sampled_from(["CO", "GR", "PR", "ST", "SST", "STG", "ID", "pr", "xx"]),
    st.sampled_from(["SE", "EE", "DC", "DS", "se", "zz"]),
    st.one_of(st.none(), AF_NAMES),
)
@example(("apx", "\n"), "CO", "DC", "\r\n")  # the value echoed as given, line ending and all
def test_argmap_af_exits_cleanly(case: tuple[str, str], semantics: str, task: str, arg: str | None) -> None:
    fmt, text = case
    path = write(f"af_cli.{fmt}", text)
    argv = ["af", "-s", semantics, "-t", task, path, *(["-a", arg] if arg is not None else [])]
    result = invoke(argv)
    assert_clean(result, (0, 2))
    if result.exit_code == 2 and result.stderr.startswith(f"argmap: {path}: error: --"):
        # An error about --arg, not about the file, showing the value as given, with control
        # characters as visible escapes (model.errors.visible).  Result.stderr turns "\r\n"
        # into "\n" (click's CliRunner), so the bytes are read as they were written.
        assert f"'{visible(arg)}'" in result.stderr_bytes.decode(result.runner.charset, "replace")
    elif result.exit_code == 2 and result.stderr.startswith("argmap: "):
        assert_names_file(result, path, text)


# ================================================================ determinism across processes
def _run_subprocess(args: list[str], seed: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    code = "import sys; sys.argv[0] = 'argmap'; from argmap.cli import entry; entry()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, timeout=120)


@examples(3)
@given(st.lists(valid_proposals(), min_size=5, max_size=12))
def test_check_output_does_not_depend_on_the_hash_seed(docs: list[dict[str, Any]]) -> None:
    folder = work() / "batch"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    for i, doc in enumerate(docs):
        (folder / f"p{i:02d}.yaml").write_text(dump(doc, sort_keys=False, allow_unicode=True), "utf-8")
    runs = [_run_subprocess(["check", "--exit-zero", "--format", "json", str(folder)], seed) for seed in ("1", "2")]
    for run in runs:
        assert run.returncode == 0, run.stderr.decode()
    assert runs[0].stdout == runs[1].stdout


# ================================================================ regressions
def _regressions(kind: str) -> list[Any]:
    folder = REGRESSIONS / kind
    if not folder.is_dir():
        return []
    params = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.suffix == ".md":
            continue
        marks = []
        first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
        if first.startswith("# BUG:"):
            marks.append(pytest.mark.xfail(reason=first[2:].strip(), strict=True))
        params.append(pytest.param(path, id=path.name, marks=marks))
    return params


@pytest.mark.parametrize("path", _regressions("proposal"))
def test_regression_proposal(path: Path) -> None:
    """A proposal file hypothesis once broke: it loads, or fails at a line; `check` exits cleanly."""
    data = path.read_bytes()
    check_proposal_bytes(data)
    target = write(path.name, data)
    with shared_kb():
        result = invoke(["check", target])
    assert_clean(result)
    if result.exit_code == 2:
        assert_names_file(result, target, data.decode("utf-8", "replace"))


@pytest.mark.parametrize("path", _regressions("scenario"))
def test_regression_scenario(path: Path) -> None:
    """A scenario file hypothesis once broke: it loads, or fails at a line; `test` exits cleanly;
    and what the schema accepts, argmap loads."""
    data = path.read_bytes()
    target = str(path)  # in place: a scenario may name proposal files relative to itself
    check_scenario_bytes(data, target)
    with shared_kb():
        result = invoke(["test", target])
    assert_clean(result)
    if result.exit_code == 2:
        assert_names_scenario(result, target)
    try:
        parsed = load(data)
    except yaml.YAMLError:
        return
    if not _schema_errors("scenario", parsed):
        load_scenarios(target, VOC)  # raises InputError if argmap refuses what the schema accepts


@pytest.mark.parametrize("path", _regressions("space"))
def test_regression_space(path: Path) -> None:
    data = path.read_bytes()
    target = write(path.name, data)
    with shared_kb():
        result = invoke(["explore", *EXPLORE_ARGS, target])
    assert_clean(result)
    if result.exit_code == 2:
        assert_names_file(result, target, data.decode("utf-8", "replace"))


@pytest.mark.parametrize("path", _regressions("argv"))
def test_regression_command_line(path: Path) -> None:
    """A command line (a JSON list of arguments) hypothesis once broke."""
    argv = json.loads("\n".join(line for line in path.read_text("utf-8").splitlines() if not line.startswith("#")))
    with shared_kb():
        result = invoke(argv)
    assert_clean(result)


def test_the_regression_files_are_small_and_named() -> None:
    """Every checked-in example is small enough to read in a review, in a folder a test replays."""
    for path in REGRESSIONS.rglob("*"):
        if path.is_file() and path.name != "README.md":
            assert path.stat().st_size < MAX_BYTES // 64, path
            assert re.fullmatch(r"[a-z0-9_]+\.(yaml|json)", path.name), path
            assert path.parent.name in ("proposal", "scenario", "space", "argv"), path
