"""Editing one mapping of a YAML file in its text, so that the rest of the file stays as written.

``argmap test --update`` rewrites the ``expect`` of each failing case.  Loading
the file and dumping it again would lose every comment and turn flow style
(``{credible: false}``) into block style, so the diff would be the whole file.
Here only the values that change are replaced, where they stand, in the style
they were written in; a key that goes is removed with its lines.  Positions
come from PyYAML's composer (``Mark.index``, in characters of the text).

The result is read back and compared with what was asked; where the edit could
not be made faithfully (an unusual layout), :class:`EditError` says so and the
caller may fall back to rewriting the whole file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

#: A step into a YAML document: a mapping's key or a sequence's index.
Step = str | int


class EditError(ValueError):
    """The mapping could not be edited in place (not found, or the edited text does not read back as asked)."""


def refresh_mapping(source: str, path: Sequence[Step], new: Mapping[str, Any]) -> str:
    """`source` with the mapping at `path` made equal to `new`, every other character kept.

    Args:
        source: a YAML document's text.
        path: keys and indices from the document's root to a mapping.
        new: the mapping's new contents; its keys must be among the old ones
            (keys are refreshed or removed, not added).

    Returns:
        The edited text (``source`` itself when nothing changes).

    Raises:
        EditError: `path` does not lead to a mapping, `new` adds a key, or the edit
            does not read back as `new`.
    """
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
        old = _at(yaml.safe_load(source), path)
    except yaml.YAMLError as exc:
        raise EditError(f"cannot read the file: {exc}") from None
    except (KeyError, IndexError, TypeError):
        raise EditError(f"nothing at {'.'.join(map(str, path))}") from None
    node = _node_at(root, path)
    if not isinstance(node, yaml.MappingNode) or not isinstance(old, dict):
        raise EditError("not a mapping")
    if set(new) - set(old):
        raise EditError(f"new keys {sorted(set(new) - set(old))}")
    if dict(new) == old:
        return source
    edits: list[tuple[int, int, str]] = []
    if node.flow_style or not set(new):
        edits.append((node.start_mark.index, node.end_mark.index, _flow(dict(new))))
    else:
        for key_node, value_node in node.value:
            key = key_node.value
            if key not in new:
                start = key_node.start_mark.index - key_node.start_mark.column
                end = _end(value_node)
                end = source.find("\n", end)
                edits.append((start, len(source) if end < 0 else end + 1, ""))
            elif new[key] != old[key]:
                edits.append((value_node.start_mark.index, _end(value_node), _value(new[key], value_node)))
    newline = "\r\n" if "\r\n" in source else "\n"  # a file's line ends stay as they are
    out = source
    for start, end, replacement in sorted(edits, reverse=True):
        out = out[:start] + replacement.replace("\n", newline) + out[end:]
    try:
        done = _at(yaml.safe_load(out), path)
    except (yaml.YAMLError, KeyError, IndexError, TypeError):
        done = None
    if done != dict(new) or _without(yaml.safe_load(out), path) != _without(yaml.safe_load(source), path):
        raise EditError("the edit does not read back as asked")
    return out


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


def _end(node: yaml.Node) -> int:
    """Where a node's own text ends: a block collection's end mark lies past the comments and blank
    lines after it, so it ends where its last value does."""
    if isinstance(node, yaml.ScalarNode) or node.flow_style or not node.value:
        return int(node.end_mark.index)
    last = node.value[-1]
    return _end(last[1] if isinstance(node, yaml.MappingNode) else last)


def _flow(value: Any) -> str:
    """`value` as YAML on one line (a scalar, or a collection in flow style)."""
    text = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=float("inf"), sort_keys=False)
    return text.strip()[1:-1]


def _value(value: Any, old: yaml.Node) -> str:
    """`value` written in the style of the node it replaces: in flow style where that was a scalar or a
    flow collection, else as a block indented where the old one started."""
    if isinstance(old, yaml.ScalarNode) or old.flow_style or not isinstance(value, list | dict) or not value:
        return _flow(value)
    block = yaml.safe_dump(value, default_flow_style=False, allow_unicode=True, width=float("inf"), sort_keys=False)
    lines = block.rstrip("\n").split("\n")
    indent = " " * old.start_mark.column
    return "\n".join([lines[0], *(indent + line for line in lines[1:])])
