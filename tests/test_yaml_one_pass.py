"""load_yaml reads each file in one pass, and reads it as PyYAML's own composer would.

One parser per file, fed once: the tree, every position and every check
(anchors, depth, the node limit, duplicate keys, YAML 1.1 numbers) come from
its one stream of events.  What it builds is what ``yaml.compose`` and
``yaml.safe_load`` give for the same text, value for value and position for
position, on every YAML file the project ships and on generated documents.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from argmap.io import yamltree
from argmap.io.yamltree import Node, load_yaml
from argmap.model.errors import InputError
from fuzz_settings import examples
from helpers import ROOT

SHIPPED = sorted(
    p
    for pattern in ("proposals/*.yaml", "spaces/*.yaml", "tests/scenarios/*.yaml", "examples/*/*/*.yaml")
    for p in ROOT.glob(pattern)
)


def same_tree(node: Node, composed: yaml.Node, where: str = "") -> None:
    """`node` has `composed`'s kind, position and (for a scalar) value, all the way down."""
    position = (composed.start_mark.line + 1, composed.start_mark.column + 1)
    assert (node.line, node.column) == position, where
    if isinstance(composed, yaml.MappingNode):
        assert node.kind == "mapping", where
        pairs = [(k, v) for k, v in composed.value]
        keys = [_key(k) for k, _ in pairs]
        assert list(node.value) == keys, where
        assert node.keys == {
            key: (k.start_mark.line + 1, k.start_mark.column + 1) for key, (k, _) in zip(keys, pairs, strict=True)
        }
        for key, (_, child) in zip(keys, pairs, strict=True):
            same_tree(node.value[key], child, f"{where}.{key}")
    elif isinstance(composed, yaml.SequenceNode):
        assert node.kind == "sequence", where
        assert len(node.value) == len(composed.value), where
        for i, (mine, theirs) in enumerate(zip(node.value, composed.value, strict=True)):
            same_tree(mine, theirs, f"{where}[{i}]")
    else:
        assert node.kind == "scalar", where
        expected = yaml.constructor.SafeConstructor().construct_object(composed, deep=True)
        assert node.value == expected and type(node.value) is type(expected), where
        assert node.text == (None if composed.style else composed.value), where


def _key(node: yaml.Node) -> str:
    value = yaml.constructor.SafeConstructor().construct_object(node)
    return ("true" if value else "false") if isinstance(value, bool) else value


@pytest.mark.parametrize("path", SHIPPED, ids=[str(p.relative_to(ROOT)) for p in SHIPPED])
def test_every_shipped_yaml_file_reads_as_yamls_composer_reads_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    same_tree(load_yaml(str(path)), yaml.compose(text, Loader=yaml.CSafeLoader))


def test_the_shipped_files_are_many() -> None:
    assert len(SHIPPED) >= 25


def test_one_parser_reads_the_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No event scan before a compose: one parser is made per file, and no other reading of the text."""
    made: list[str] = []
    real = yamltree.LOADER

    class Counting(real):  # type: ignore[misc,valid-type]
        def __init__(self, stream: str) -> None:
            made.append(stream)
            super().__init__(stream)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the text was parsed a second way")

    monkeypatch.setattr(yamltree, "LOADER", Counting)
    for name in ("parse", "compose", "compose_all", "load", "safe_load", "scan"):
        monkeypatch.setattr(yaml, name, refuse)
    path = ROOT / "proposals" / "roadmap_neutral_then_nato.yaml"
    node = load_yaml(str(path))
    assert made == [path.read_text(encoding="utf-8")]
    assert node.value["phases"].value[2].value["timing"].value["after_ceasefire"].value == 10
    # and its checks too come from that one parser: an anchor, a depth, a duplicate key
    for text, message in [
        ("a: &x 1\n", "anchors and aliases"),
        ("[" * 40 + "]" * 40, "nested deeper"),
        ("a: 1\na: 2\n", "duplicate key"),
        ("a: 010\n", "leading zero"),
    ]:
        made.clear()
        with pytest.raises(InputError, match=message):
            load_yaml("t.yaml", text)
        assert len(made) == 1


def test_the_pure_python_parser_gives_the_same_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml (a PyYAML built without it), the same events give the same tree."""
    path = ROOT / "proposals" / "taiwan_style_law.yaml"
    fast = load_yaml(str(path))
    monkeypatch.setattr(yamltree, "LOADER", yaml.SafeLoader)
    assert load_yaml(str(path)) == fast


def test_the_node_limit_is_counted_in_the_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamltree, "MAX_NODES", 5)
    assert load_yaml("t.yaml", "[1, 2, 3, 4]").plain() == [1, 2, 3, 4]  # four items and the list
    with pytest.raises(InputError, match="more than 5 values in one file") as info:
        load_yaml("t.yaml", "[1, 2, 3, 4, 5]")
    assert (info.value.line, info.value.column) == (1, 14)


# ---------------------------------------------------------------- generated documents
WORDS = st.sampled_from(["a", "b", "title", "x_y", "yes", "no", "~", "null", "12", "1.5", "2025-01-02", "true", "-3"])
SCALARS = st.one_of(
    WORDS,
    st.text(alphabet="abc xyz:#-'\"\\é\t", min_size=0, max_size=8).map(
        lambda s: '"' + s.replace('"', "").replace("\\", "") + '"'
    ),
    st.integers(-1000, 1000).map(str),
    st.dates().map(datetime.date.isoformat),
)


def documents(depth: int = 3) -> st.SearchStrategy[str]:
    """Flow-style YAML with distinct keys: scalars, lists and mappings nested `depth` deep."""
    if depth == 0:
        return SCALARS
    inner = documents(depth - 1)
    lists = st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]")
    maps = st.dictionaries(st.sampled_from(["a", "b", "c", "title", "k1", "k2"]), inner, max_size=4).map(
        lambda d: "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"
    )
    return st.one_of(SCALARS, lists, maps)


@given(documents())
@examples(200)
def test_generated_documents_read_as_yamls_composer_reads_them(text: str) -> None:
    try:
        composed = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        with pytest.raises(InputError):
            load_yaml("gen.yaml", text)
        return
    found: list[InputError] = []
    node = load_yaml("gen.yaml", text, errors=found)
    if not found:
        same_tree(node, composed)
