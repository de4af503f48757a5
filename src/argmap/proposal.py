"""Proposals: YAML in, validated :class:`~argmap.model.Proposal` out.

The allowed components and values come from the knowledge base's vocabulary
(``component/3`` and ``value/2``), so a different knowledge base brings its own
proposal format.  Every error names the file, line, key, what was expected and,
for a typo, what was probably meant.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from .errors import InputError, closest, one_of
from .model import Component, Proposal, Setting
from .yamlio import Node, load_yaml

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")

#: Keys a proposal may have besides its components.
META_KEYS = {
    "title": "a one-line title",
    "source": "where the proposal comes from",
    "notes": "free text",
    "id": "an identifier",
    "open": "a list of components left open",
}


def load_proposal(path: str, components: Mapping[str, Component]) -> Proposal:
    """Read and validate one proposal file."""
    return proposal_from_node(load_yaml(path), components, path=path)


def proposal_from_node(
    root: Node, components: Mapping[str, Component], *, path: str, default_id: str | None = None
) -> Proposal:
    """Validate a parsed YAML tree as a proposal."""
    v = _Validator(path, components)
    if root.kind != "mapping":
        raise v.error("a proposal must be a mapping of keys to values", root, expected="a YAML mapping")
    allowed = [*META_KEYS, *components]
    for key, (line, col) in root.keys.items():  # type: ignore[union-attr]
        if key not in allowed:
            raise InputError(
                "unknown key",
                path=path,
                line=line,
                column=col,
                key=key,
                expected=one_of(allowed, limit=40),
                suggestion=closest(key, allowed),
            )
    items: dict[str, Node] = root.value
    title = v.text(items, "title", root, required=True)
    source = v.text(items, "source", root, required=True)
    notes = v.text(items, "notes", root, required=False)
    pid = default_id or _stem(path)
    if "id" in items:
        pid = v.identifier(items["id"], "id")
    settings: list[Setting] = []
    for key, comp in components.items():
        if key in items:
            settings.extend((key, value) for value in v.component(items[key], comp))
    opened: list[str] = []
    if "open" in items:
        node = items["open"]
        if node.kind != "sequence":
            raise v.error("must be a list of component keys", node, key="open", expected="a list such as [activation]")
        for child in node.value:
            name = v.word(child, "open", list(components), "a component key")
            if name in opened:
                raise v.error(f"'{name}' is listed twice", child, key="open")
            if name in items and components[name].arity != "many":
                raise v.error(
                    f"'{name}' is both set and left open",
                    child,
                    key="open",
                    expected="either a value for it or its name under open, not both",
                )
            opened.append(name)
    return Proposal(pid, title, source, tuple(sorted(settings)), tuple(sorted(opened)), notes, path)


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


class _Validator:
    def __init__(self, path: str, components: Mapping[str, Component]) -> None:
        self.path = path
        self.components = components

    def error(self, message: str, node: Node, **kw: object) -> InputError:
        return InputError(message, path=self.path, line=node.line, column=node.column, **kw)  # type: ignore[arg-type]

    def text(self, items: dict[str, Node], key: str, parent: Node, *, required: bool) -> str | None:
        node = items.get(key)
        if node is None:
            if required:
                raise self.error("missing required key", parent, key=key, expected=f"{key}: {META_KEYS[key]}")
            return None
        if node.kind != "scalar" or not isinstance(node.value, str) or not node.value.strip():
            raise self.error(f"must be text, not {_describe(node)}", node, key=key, expected=META_KEYS[key])
        return node.value.strip()

    def identifier(self, node: Node, key: str) -> str:
        if node.kind != "scalar" or not isinstance(node.value, str) or not IDENTIFIER.match(node.value):
            raise self.error(
                f"{_describe(node)} is not an identifier",
                node,
                key=key,
                expected="lower-case letters, digits and underscores, starting with a letter",
            )
        return node.value

    def word(self, node: Node, key: str, choices: list[str], what: str) -> str:
        if node.kind != "scalar" or isinstance(node.value, bool) or not isinstance(node.value, str):
            raise self.error(f"{_describe(node)} is not {what}", node, key=key, expected=one_of(choices))
        if node.value not in choices:
            raise self.error(
                f"'{node.value}' is not {what}",
                node,
                key=key,
                expected=one_of(choices),
                suggestion=closest(node.value, choices),
            )
        return node.value

    def component(self, node: Node, comp: Component) -> list[str]:
        if comp.arity == "flag":
            if node.kind != "scalar" or not isinstance(node.value, bool):
                raise self.error(
                    f"{_describe(node)} is not true or false", node, key=comp.key, expected="true or false"
                )
            return ["true" if node.value else "false"]
        allowed = list(comp.values)
        if comp.arity == "one":
            return [self.word(node, comp.key, allowed, f"a value of {comp.key}")]
        children = node.value if node.kind == "sequence" else [node]
        if not children:
            raise self.error("the list is empty", node, key=comp.key, expected=f"a list of {one_of(allowed)}")
        seen: list[str] = []
        for child in children:
            value = self.word(child, comp.key, allowed, f"a value of {comp.key}")
            if value in seen:
                raise self.error(f"'{value}' is listed twice", child, key=comp.key)
            seen.append(value)
        return seen


def _describe(node: Node) -> str:
    if node.kind == "mapping":
        return "a mapping"
    if node.kind == "sequence":
        return "a list"
    if node.value is None:
        return "an empty value"
    if isinstance(node.value, bool):
        return f"the boolean {str(node.value).lower()}"
    if isinstance(node.value, (int, float)):
        return f"the number {node.value}"
    return f"'{node.value}'"
