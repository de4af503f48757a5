"""Reading YAML written by people: positions kept, surprises refused.

:func:`load_yaml` returns a tree of :class:`Node` objects that remember their
line and column, so that every later error can point at the exact place.
Duplicate keys, anchors and aliases, over-deep nesting and oversized files are
errors rather than silent behaviour.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from ..model.errors import InputError, closest, one_of
from . import files

#: libyaml's parser when PyYAML has it (several times faster), else the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 100_000


@dataclass
class Node:
    """A YAML value with its position (1-based line and column)."""

    value: Any  # a scalar, list[Node] or dict[str, Node]
    line: int
    column: int
    kind: str  # scalar | sequence | mapping
    keys: dict[str, tuple[int, int]] | None = None  # mapping: key -> position
    #: an unquoted scalar's text as written (``no`` for the boolean false), for messages
    text: str | None = None

    def plain(self) -> Any:
        """The value with positions dropped."""
        if self.kind == "mapping":
            return {k: v.plain() for k, v in self.value.items()}
        if self.kind == "sequence":
            return [v.plain() for v in self.value]
        return self.value


def unknown(
    path: str,
    position: tuple[int, int],
    key: str,
    allowed: Iterable[str],
    *,
    what: str = "unknown key",
    shown: str | None = None,
) -> InputError:
    """The error for a key or name that is not allowed, with what is and a "did you mean"."""
    allowed = list(allowed)
    return InputError(
        what,
        path=path,
        line=position[0],
        column=position[1],
        key=shown or key,
        expected=one_of(allowed, 40),
        suggestion=closest(key, allowed),
    )


def check_keys(node: Node, allowed: Iterable[str], path: str, where: str) -> dict[str, Node]:
    """A mapping node's items, after refusing any key not in `allowed`."""
    allowed = list(allowed)
    if node.kind != "mapping":
        raise InputError(
            f"{where} must be a mapping",
            path=path,
            line=node.line,
            column=node.column,
            expected=f"keys {', '.join(allowed)}",
        )
    for key, position in (node.keys or {}).items():
        if key not in allowed:
            raise unknown(path, position, key, allowed, what=f"unknown key in {where}")
    return node.value


def read_text(path: str, *, max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file, or raise InputError naming what is wrong.

    Only a regular file is read: a FIFO, a device or a socket could block
    forever or never end, so each is refused before it is opened for reading
    (and it is opened without blocking, in case it was swapped meanwhile).
    """
    return files.read_text(path, max_bytes)


def load_yaml(path: str, text: str | None = None) -> Node:
    """Parse one YAML document into a positioned tree."""
    if text is None:
        text = read_text(path)
    _refuse_anchors(path, text)
    loader = _LOADER(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if "nesting depth" in problem:  # libyaml's own (higher) limit, met while scanning ahead
            raise InputError(
                f"nested deeper than {MAX_DEPTH} levels",
                path=path,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
            ) from None
        raise InputError(
            f"invalid YAML: {problem}",
            path=path,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow; PyYAML gives no mark
        line = text[: exc.position].count("\n") + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise InputError(
            f"the character U+{ord(char):04X} is not allowed in YAML", path=path, line=line, column=column
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", path=path) from None
    finally:
        loader.dispose()
    if root is None:
        raise InputError("the file is empty", path=path, expected="a YAML mapping")
    walker = _Walker(path, loader)
    return walker.walk(root, 0)


def _refuse_anchors(path: str, text: str) -> None:
    """Anchors and aliases are refused outright (no alias bombs, no aliased keys), and nesting
    deeper than MAX_DEPTH is refused here, from the event stream, before any tree is built
    (composing a deep tree recurses, and can crash the process)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            mark = event.start_mark
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise InputError(
                    "anchors and aliases are not supported", path=path, line=mark.line + 1, column=mark.column + 1
                )
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH + 1:  # the top value is level 0
                    raise InputError(
                        f"nested deeper than {MAX_DEPTH} levels", path=path, line=mark.line + 1, column=mark.column + 1
                    )
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return  # reported with its position by the parse that follows


class _Walker:
    def __init__(self, path: str, loader: yaml.SafeLoader | yaml.CSafeLoader) -> None:
        self.path = path
        self.loader = loader
        self.seen: set[int] = set()

    def error(self, message: str, node: yaml.Node, **kw: Any) -> InputError:
        return InputError(
            message, path=self.path, line=node.start_mark.line + 1, column=node.start_mark.column + 1, **kw
        )

    def walk(self, node: yaml.Node, depth: int, key: str | None = None) -> Node:
        if id(node) in self.seen:
            raise self.error("anchors and aliases are not supported", node)
        self.seen.add(id(node))
        if len(self.seen) > MAX_NODES:
            raise self.error(f"more than {MAX_NODES} values in one file", node)
        if depth > MAX_DEPTH:
            raise self.error(f"nested deeper than {MAX_DEPTH} levels", node)
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if isinstance(node, yaml.MappingNode):
            items: dict[str, Node] = {}
            keys: dict[str, tuple[int, int]] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.error("a mapping key must be a plain word", key_node)
                key = self.scalar(key_node)
                if isinstance(key, bool):
                    key = "true" if key else "false"  # `true: 4` in a table of flag values
                if not isinstance(key, str):
                    raise self.error(f"the key {key!r} is not a word", key_node)
                if key in items:
                    first = keys[key][0]
                    raise self.error(f"duplicate key (first given on line {first})", key_node, key=key)
                keys[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                items[key] = self.walk(value_node, depth + 1, key)
            return Node(items, line, column, "mapping", keys)
        if isinstance(node, yaml.SequenceNode):
            return Node([self.walk(child, depth + 1, key) for child in node.value], line, column, "sequence")
        plain = None if getattr(node, "style", None) else str(node.value)
        return Node(self.scalar(node, key), line, column, "scalar", text=plain)

    def scalar(self, node: yaml.Node, key: str | None = None) -> Any:
        value = self._construct(node, key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and not getattr(node, "style", None):
            surprise = _yaml11_number(str(node.value))
            if surprise:
                raise self.error(
                    f"'{node.value}' {surprise}: {value!r}",
                    node,
                    key=key,
                    expected="a plain decimal number (such as 10), or the text in quotes",
                )
        return value

    def _construct(self, node: yaml.Node, key: str | None = None) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise self.error(f"cannot read value: {exc.problem}", node, key=key) from None
        except (ValueError, OverflowError) as exc:  # e.g. an impossible date such as 2025-02-30
            raise self.error(f"cannot read value '{node.value}': {exc}", node, key=key) from None
        except Exception:
            tag = "!!" + str(getattr(node, "tag", "?")).rsplit(":", 1)[-1]
            raise self.error(f"cannot read value '{node.value}' as {tag}", node, key=key) from None


def yaml_reading(node: Node, choices: Iterable[str] = ()) -> str | None:
    """A hint for an unquoted scalar that YAML read as something other than the text it looks like
    (``no`` as false, ``2025-01-01`` as a date, ``~`` or ``null`` as nothing), where text was wanted;
    with the closest of `choices` as a "did you mean".  None if the value is text, or was written
    as what it is (``false``, ``12``)."""
    import datetime

    if node.kind != "scalar" or node.text is None or isinstance(node.value, str):
        return None
    value = node.value
    if isinstance(value, bool):
        if node.text.lower() in ("true", "false"):
            return None
        what = "true" if value else "false"
    elif isinstance(value, (datetime.date, datetime.datetime)):
        what = "a date"
    elif value is None and node.text:
        what = "an empty value"
    else:
        return None
    suggestion = closest(node.text, choices)
    hint = f"YAML reads {node.text} as {what}; quote it"
    return hint + (f", or did you mean {suggestion}?" if suggestion else f" ('{node.text}')")


_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")


def _yaml11_number(text: str) -> str | None:
    """What makes an unquoted number read differently than it looks (YAML 1.1, which PyYAML follows):
    a leading zero (octal), a base prefix, a colon (base 60) or an underscore; None if it reads as it looks."""
    body = text.lstrip("+-")
    if ":" in text:
        return "has a colon, so YAML 1.1 reads it as a number in base 60"
    if body[:2].lower() in ("0x", "0b", "0o"):
        return "has a base prefix, so YAML reads it as a number in that base"
    if "_" in text:
        return "has an underscore, which YAML drops from a number"
    if "." not in text and not _PLAIN_INT.fullmatch(text) and body[:1] == "0":
        return "has a leading zero, so YAML 1.1 reads it as an octal number"
    return None
