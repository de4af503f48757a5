"""Editing one mapping of a YAML file in its text, so that the rest of the file stays as written.

``argmap test --update`` rewrites the ``expect`` of each failing case.  Loading
the file and dumping it again would lose every comment and turn flow style
(``{key: value}``) into block style, so the diff would be the whole file.
Here only the values that change are replaced, where they stand, in the style
they were written in; a key that goes is removed with its lines.  Positions
come from PyYAML's composer (``Mark.index``, in characters of the text).

The result is read back and compared with what was asked; where the edit could
not be made faithfully (an unusual layout), :class:`EditError` says so and the
caller may fall back to rewriting the whole file.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from .yamltree import LOADER

#: A step into a YAML document: a mapping's key or a sequence's index.
Step = str | int


class EditError(ValueError):
    """The mapping could not be edited in place (not found, or the edited text does not read back as asked)."""


def refresh_mapping(source: str, path: Sequence[Step], new: Mapping[str, Any]) -> str:
    """`source` with the mapping at `path` made equal to `new`, every other character kept.

    The text is read with libyaml where PyYAML has it (argmap's own reader), so
    what argmap reads this can edit (a tab before a comment, say).

    Args:
        source: a YAML document's text.
        path: keys and indices from the document's root to a mapping.
        new: the mapping's new contents; its keys must be among the old ones
            (keys are refreshed or removed, not added), and there must be one.

    Returns:
        The edited text (``source`` itself when nothing changes).

    Raises:
        EditError: `path` does not lead to a mapping, `new` adds a key or is
            empty, or the edit does not read back as `new` with all else equal.
    """
    bom = "\ufeff" if source.startswith("\ufeff") else ""  # libyaml's positions do not count it
    body = source[len(bom) :]
    try:
        root = yaml.compose(body, Loader=LOADER)
        original = load_data(body)
        old = _at(original, path)
    except yaml.YAMLError as exc:
        raise EditError(f"cannot read the file: {exc}") from None
    except (KeyError, IndexError, TypeError):
        raise EditError(f"nothing at {'.'.join(map(str, path))}") from None
    node = _node_at(root, path) if root is not None else None
    if not isinstance(node, yaml.MappingNode) or not isinstance(old, dict):
        raise EditError("not a mapping")
    if set(new) - set(old):
        raise EditError(f"new keys {sorted(set(new) - set(old))}")
    if not new:
        raise EditError("it would leave the mapping empty")
    if dict(new) == old:
        return source
    edits: list[tuple[int, int, str]] = []
    if node.flow_style and set(new) != set(old):  # a key goes: a flow mapping is written anew
        edits.append((node.start_mark.index, _end(node, body), _flow(dict(new))))
    else:
        for key_node, value_node in node.value:
            key = key_node.value
            if key not in new:
                start = key_node.start_mark.index - key_node.start_mark.column
                end = body.find("\n", _end(value_node, body))
                edits.append((start, len(body) if end < 0 else end + 1, ""))
            elif new[key] != old[key]:
                removals = _removals(body, value_node, new[key])
                edits.extend(removals if removals is not None else [_replacement(body, key_node, value_node, new[key])])
    if any(start > end for start, end, _ in edits):
        raise EditError("a value stands before its key (an alias or a merge key)")
    newline = "\r\n" if "\r\n" in body else "\n"  # a file's line ends stay as they are
    out = body
    for start, end, replacement in sorted(edits, reverse=True):
        out = out[:start] + replacement.replace("\n", newline) + out[end:]
    try:
        edited = load_data(out)
        done = _at(edited, path)
        after = _without(edited, path)  # read `done` first: this blanks it in `edited`
    except (yaml.YAMLError, KeyError, IndexError, TypeError):
        done = after = None
    if done != dict(new) or after != _without(original, path):
        raise EditError("the edit does not read back as asked")
    return bom + out


def load_data(text: str) -> Any:
    """The plain data of a YAML text, read as argmap reads its files (:data:`argmap.io.yamltree.LOADER`,
    libyaml's safe loader), without the checks and positions of :func:`argmap.io.yamltree.load_yaml`."""
    return yaml.load(text, Loader=LOADER)  # a safe loader: plain data only


def rewrite_whole(source: str, data: Any) -> str:
    """`data` dumped as a whole new text for the file that held `source`, for when
    :func:`refresh_mapping` cannot edit it in place: its leading comments, byte order mark and line
    ends are kept, every other comment and the layout are not."""
    bom = "\ufeff" if source.startswith("\ufeff") else ""
    newline = "\r\n" if "\r\n" in source else "\n"
    lines = source[len(bom) :].splitlines()
    header = "".join(line + "\n" for line in itertools.takewhile(lambda x: x.startswith("#"), lines))
    dumped = header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return bom + dumped.replace("\n", newline)


def _replacement(body: str, key_node: yaml.Node, value_node: yaml.Node, value: Any) -> tuple[int, int, str]:
    """Where and what to write for one key's new value.  A block list or mapping that becomes a scalar
    or an empty list is replaced from just after the key's colon, so it does not start on a line of its own."""
    block = not isinstance(value_node, yaml.ScalarNode) and not value_node.flow_style
    if block and (not isinstance(value, list | dict) or not value):
        colon = body.find(":", key_node.end_mark.index)
        if colon < 0 or colon > value_node.start_mark.index:
            raise EditError("no colon after the key")
        return colon + 1, _end(value_node, body), " " + _flow(value)
    return value_node.start_mark.index, _end(value_node, body), _value(value, value_node)


def _removals(body: str, old: yaml.Node, value: Any) -> list[tuple[int, int, str]] | None:
    """For a block list that only loses items (`value` keeps the others, in order): each lost item's
    lines removed, so the kept items, their comments and the comments between them stay.  None
    where that is not the change."""
    if not isinstance(old, yaml.SequenceNode) or old.flow_style or not isinstance(value, list) or not value:
        return None
    items = old.value
    olds = [_load_node(item) for item in items]
    kept: set[int] = set()
    at = 0
    for i, item in enumerate(olds):
        if at < len(value) and item == value[at]:
            kept.add(i)
            at += 1
    if at != len(value):
        return None
    edits = []
    for i, item in enumerate(items):
        if i in kept:
            continue
        dash = body.rfind("-", 0, item.start_mark.index)
        start = body.rfind("\n", 0, dash) + 1
        if body[start:dash].strip():  # the item does not start its line
            return None
        end = body.find("\n", _end(item, body))
        edits.append((start, len(body) if end < 0 else end + 1, ""))
    return edits


def _load_node(node: yaml.Node) -> Any:
    """The value a composed node stands for."""
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)


def _at(data: Any, path: Sequence[Step]) -> Any:
    for step in path:
        data = data[step]
    return data


def _without(data: Any, path: Sequence[Step]) -> Any:
    """`data` with the value at `path` blanked, to compare everything else."""
    if not path:
        return None
    parent = _at(data, path[:-1])
    parent[path[-1]] = None
    return data


def _node_at(node: yaml.Node, path: Sequence[Step]) -> yaml.Node | None:
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            found = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == step]
            if not found:
                return None
            node = found[-1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
        else:
            return None
    return node


def _end(node: yaml.Node, body: str) -> int:
    """Where a node's own text ends: a block collection's end mark lies past the comments and blank
    lines after it, so it ends where its last value does; a block scalar's (``|``, ``>``) takes in
    the line breaks after its text, which are not its to replace."""
    if isinstance(node, yaml.ScalarNode) or node.flow_style or not node.value:
        end = int(node.end_mark.index)
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            while end > node.start_mark.index and body[end - 1] in "\r\n":
                end -= 1
        return end
    last = node.value[-1]
    return _end(last[1] if isinstance(node, yaml.MappingNode) else last, body)


def _flow(value: Any) -> str:
    """`value` as YAML on one line (a scalar, or a collection in flow style)."""
    text = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=float("inf"), sort_keys=False)
    return text.strip()[1:-1]


def _value(value: Any, old: yaml.Node) -> str:
    """`value` written in the style of the node it replaces: in flow style where that was a scalar or a
    flow collection, else as a block indented where the old one started."""
    if isinstance(old, yaml.ScalarNode) and old.style in ("'", '"') and isinstance(value, str):
        return yaml.safe_dump(value, default_style=old.style, allow_unicode=True, width=float("inf")).strip()
    if isinstance(old, yaml.ScalarNode) or old.flow_style or not isinstance(value, list | dict) or not value:
        return _flow(value)
    block = yaml.safe_dump(value, default_flow_style=False, allow_unicode=True, width=float("inf"), sort_keys=False)
    lines = block.rstrip("\n").split("\n")
    indent = " " * old.start_mark.column
    return "\n".join([lines[0], *(indent + line for line in lines[1:])])
