"""Reading YAML written by people: positions kept, surprises refused.

:func:`load_yaml` returns a tree of :class:`Node` objects that remember their
line and column, so that every later error can point at the exact place.
Duplicate keys, anchors and aliases, over-deep nesting, oversized files and
numbers that YAML 1.1 reads differently than they look are errors rather than
silent behaviour.  Each file is parsed once: the tree, its positions and every
check come from one walk over libyaml's event stream.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from ..model.errors import ErrorList, InputError, closest, one_of
from . import files

#: libyaml's parser when PyYAML has it (several times faster), else the pure-Python one.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 100_000


@dataclass(slots=True)
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


def check_keys(
    node: Node, allowed: Iterable[str], path: str, where: str, errors: ErrorList | None = None
) -> dict[str, Node]:
    """A mapping node's items, after refusing any key not in `allowed`.

    With `errors`, every unknown key is recorded there instead and the known
    items are returned, so a reader can go on to check them (a node that is
    not a mapping still raises).
    """
    allowed = list(allowed)
    if errors is not None and node.kind == "mapping":
        for key, position in (node.keys or {}).items():
            if key not in allowed:
                errors.add(unknown(path, position, key, allowed, what=f"unknown key in {where}"))
        return {k: v for k, v in node.value.items() if k in allowed}
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


def load_yaml(path: str, text: str | None = None, *, errors: list[InputError] | None = None) -> Node:
    """Parse one YAML document into a positioned tree, in one pass over libyaml's events.

    Two kinds of error are told apart:

    * a file that cannot be read as one YAML document (a syntax error, a character YAML does not
      allow, an anchor or alias, nesting deeper than MAX_DEPTH, more than MAX_NODES values, an
      empty file) raises InputError at once, and nothing else is said about the file;
    * a value that is read but refused (a YAML 1.1 number such as ``010`` or ``1:30``, a date
      that is not on the calendar, an unknown tag, a duplicate key, a key that is not a word) is
      recorded and reading goes on: the value is left as an empty scalar at its position (a
      duplicate or unreadable key is dropped with its value).  With `errors` given, these are
      appended to it, in file order, and the tree is returned, so a caller can check the rest
      of the file and report everything; without it, the first is raised with the others in
      ``more``.

    Args:
        path: the file to read, or the name to give `text` in messages.
        text: the file's text, if already read.
        errors: where to put the value-level errors (see above).

    Raises:
        InputError: located at the file, line and column (and key, where there is one).
    """
    if text is None:
        text = read_text(path)
    reader = _Reader(path)
    root = reader.read(text)
    if errors is not None:
        errors.extend(reader.errors)
    elif reader.errors:
        first, *rest = reader.errors
        first.more = tuple(rest)
        raise first
    return root


#: Event classes, compared by identity (libyaml makes exactly these, never a subclass).
_SCALAR_EVENT = yaml.ScalarEvent
_MAPPING_START, _SEQUENCE_START = yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAPPING_END, _SEQUENCE_END = yaml.MappingEndEvent, yaml.SequenceEndEvent
_STR = "tag:yaml.org,2002:str"
#: The tags a list or mapping may carry (none, YAML's non-specific one, or its own); any other is refused.
_COLLECTION_TAGS = frozenset((None, "!", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"))
#: The resolver's table (first character of a plain scalar -> [(tag, pattern)]) and the safe constructors.
_IMPLICIT: dict[str | None, list[tuple[str, re.Pattern[str]]]] = LOADER.yaml_implicit_resolvers
_CONSTRUCTORS = LOADER.yaml_constructors
#: Tags whose constructors read a scalar's text and keep no state, so one constructor serves every file.
_PURE_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp"))
_PURE = yaml.constructor.SafeConstructor()
#: A mapping frame's state between its key and its value.
_WANT_KEY, _SKIP = object(), object()


class _Reader:
    """One file's events, turned into Nodes as they come (see :func:`load_yaml`)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[InputError] = []

    def read(self, text: str) -> Node:
        parser = LOADER(text)
        try:
            return self._document(parser.get_event)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "invalid YAML"
            line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
            if "nesting depth" in problem:  # libyaml's own (higher) limit, met while scanning ahead
                raise InputError(
                    f"nested deeper than {MAX_DEPTH} levels", path=self.path, line=line, column=column
                ) from None
            raise InputError(f"invalid YAML: {problem}", path=self.path, line=line, column=column) from None
        except yaml.reader.ReaderError as exc:  # a character YAML does not allow; PyYAML gives no mark
            line = text[: exc.position].count("\n") + 1
            column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
            char = exc.character if isinstance(exc.character, str) else chr(exc.character)
            raise InputError(
                f"the character U+{ord(char):04X} is not allowed in YAML", path=self.path, line=line, column=column
            ) from None
        except yaml.YAMLError as exc:
            raise InputError(f"invalid YAML: {exc}", path=self.path) from None
        finally:
            parser.dispose()

    def _document(self, get: Any) -> Node:
        get()  # the stream's start
        event = get()
        if isinstance(event, yaml.StreamEndEvent):
            raise InputError("the file is empty", path=self.path, expected="a YAML mapping")
        root = self._tree(get)
        get()  # the document's end
        event = get()
        if not isinstance(event, yaml.StreamEndEvent):
            raise self.fatal("invalid YAML: but found another document", event)
        return root

    def fatal(self, message: str, event: Any) -> InputError:
        mark = event.start_mark
        return InputError(message, path=self.path, line=mark.line + 1, column=mark.column + 1)

    def _tree(self, get: Any) -> Node:
        """The document's value, built from its events in one loop (no recursion, so no depth
        reaches the interpreter's stack).  Each open collection is a frame on a stack:
        ``[items, keys, line, column, key, is_key]``: `items` a dict (mapping) or list
        (sequence); `keys` each key's position (None for a sequence); `key`, for a mapping, the
        key whose value comes next (``_WANT_KEY`` before a key, ``_SKIP`` for a value to drop),
        for a sequence the key its items are named by in messages; `is_key` when the collection
        stands where its parent mapping wants a key."""
        stack: list[list[Any]] = []
        parent: list[Any] | None = None  # stack[-1], kept as the stack changes
        count = 0
        errors = self.errors
        implicit = _IMPLICIT
        while True:
            event = get()
            cls = event.__class__
            wants_key = parent is not None and parent[1] is not None and parent[4] is _WANT_KEY
            if cls is _SCALAR_EVENT:
                if event.anchor is not None:
                    raise self.fatal("anchors and aliases are not supported", event)
                if len(stack) > MAX_DEPTH:
                    raise self.fatal(f"nested deeper than {MAX_DEPTH} levels", event)
                mark = event.start_mark
                line, column = mark.line + 1, mark.column + 1
                if wants_key:
                    self._key(parent, event, line, column)  # type: ignore[arg-type]
                    continue
                count += 1  # values are counted as they start (a key is not a value)
                if count > MAX_NODES:
                    raise self.fatal(f"more than {MAX_NODES} values in one file", event)
                value = event.value
                tag = event.tag
                if tag is None or tag == "!":  # text unless a plain scalar resolves to another tag
                    if event.implicit[0]:
                        for candidate, pattern in implicit.get(value[:1], ()):
                            if pattern.match(value):
                                key = None if parent is None or parent[4] is _SKIP else parent[4]
                                value = self._construct(event, candidate, key, line, column)
                                break
                elif tag != _STR:
                    key = None if parent is None or parent[4] is _SKIP else parent[4]
                    value = self._construct(event, tag, key, line, column)
                node = Node(value, line, column, "scalar", None, None if event.style else event.value)
            elif cls is _MAPPING_START or cls is _SEQUENCE_START:
                if event.anchor is not None:
                    raise self.fatal("anchors and aliases are not supported", event)
                if len(stack) > MAX_DEPTH:
                    raise self.fatal(f"nested deeper than {MAX_DEPTH} levels", event)
                mark = event.start_mark
                count += 1
                if count > MAX_NODES:
                    raise self.fatal(f"more than {MAX_NODES} values in one file", event)
                inherited = None if parent is None or parent[4] in (_WANT_KEY, _SKIP) else parent[4]
                if event.tag not in _COLLECTION_TAGS:  # as for a scalar: no constructor but YAML's own
                    problem = f"could not determine a constructor for the tag '{event.tag}'"
                    self._refuse(f"cannot read value: {problem}", mark.line + 1, mark.column + 1, inherited)
                if cls is _MAPPING_START:
                    parent = [{}, {}, mark.line + 1, mark.column + 1, _WANT_KEY, wants_key]
                else:
                    parent = [[], None, mark.line + 1, mark.column + 1, inherited, wants_key]
                stack.append(parent)
                continue
            elif cls is _MAPPING_END or cls is _SEQUENCE_END:
                items, keys, line, column, _, was_key = stack.pop()
                parent = stack[-1] if stack else None
                if keys is None:
                    node = Node(items, line, column, "sequence")
                else:
                    node = Node(items, line, column, "mapping", keys)
                if was_key:  # a list or mapping where a key should be
                    errors.append(
                        InputError("a mapping key must be a plain word", path=self.path, line=line, column=column)
                    )
                    parent[4] = _SKIP  # type: ignore[index]
                    continue
            else:  # an alias
                raise self.fatal("anchors and aliases are not supported", event)
            if parent is None:
                return node
            if parent[1] is None:
                parent[0].append(node)
            else:
                if parent[4] is not _SKIP:
                    parent[0][parent[4]] = node
                parent[4] = _WANT_KEY

    def _key(self, frame: list[Any], event: Any, line: int, column: int) -> None:
        """Take a mapping's key: the frame then waits for its value (or for a value to drop)."""
        frame[4] = _SKIP
        before = len(self.errors)
        key = self._scalar(event, None, line, column)
        if len(self.errors) > before:
            return
        if isinstance(key, bool):
            key = "true" if key else "false"  # `true: 4` in a table of flag values
        if not isinstance(key, str):
            self.errors.append(self._error(f"the key {key!r} is not a word", line, column))
            return
        keys = frame[1]
        if key in keys:
            first = keys[key][0]
            self.errors.append(self._error(f"duplicate key (first given on line {first})", line, column, key=key))
            return
        keys[key] = (line, column)
        frame[4] = key

    def _error(self, message: str, line: int, column: int, **kw: Any) -> InputError:
        return InputError(message, path=self.path, line=line, column=column, **kw)

    def _scalar(self, event: Any, key: str | None, line: int, column: int) -> Any:
        """A scalar's value as YAML reads it, or None with the error recorded."""
        value = event.value
        tag = event.tag
        if tag is None or tag == "!":
            tag = _STR
            if event.implicit[0]:  # plain: resolved as PyYAML's resolver does
                for candidate, pattern in _IMPLICIT.get(value[:1], ()):
                    if pattern.match(value):
                        tag = candidate
                        break
        if tag == _STR:
            return value
        return self._construct(event, tag, key, line, column)

    def _construct(self, event: Any, tag: str, key: str | None, line: int, column: int) -> Any:
        """A scalar's value under `tag` (not text), or None with the error recorded."""
        value = event.value
        if tag == _STR:
            return value
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        try:
            if tag in _PURE_TAGS:
                result = _CONSTRUCTORS[tag](_PURE, node)
            else:  # anything else: a constructor of its own, which keeps state while it builds
                result = yaml.constructor.SafeConstructor().construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            return self._refuse(f"cannot read value: {exc.problem}", line, column, key)
        except (ValueError, OverflowError) as exc:  # e.g. an impossible date such as 2025-02-30
            return self._refuse(f"cannot read value '{value}': {exc}", line, column, key)
        except Exception:
            return self._refuse(f"cannot read value '{value}' as !!{tag.rsplit(':', 1)[-1]}", line, column, key)
        if isinstance(result, (int, float)) and not isinstance(result, bool) and not event.style:
            surprise = _yaml11_number(value)
            if surprise:
                return self._refuse(
                    f"'{value}' {surprise}: {result!r}",
                    line,
                    column,
                    key,
                    expected="a plain decimal number (such as 10), or the text in quotes",
                )
        return result

    def _refuse(self, message: str, line: int, column: int, key: str | None, **kw: Any) -> None:
        self.errors.append(self._error(message, line, column, key=key, **kw))
        return None


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
