"""Proposals: YAML in, validated :class:`~argmap.model.Proposal` out.

The allowed components and values come from the knowledge base's vocabulary
(``component/3`` and ``value/2``), so a different knowledge base brings its own
proposal format.  Every error names the file, line, key, what was expected and,
for a typo, what was probably meant.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence

from ..model.errors import ErrorList, InputError, closest, one_of
from ..model.kb import Component, Vocabulary
from ..model.proposal import Phase, Proposal, Setting, in_words
from .yamltree import Node, load_yaml, unknown, yaml_reading

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")

#: Keys a proposal may have besides its components.
META_KEYS = {
    "title": "a one-line title",
    "source": "where the proposal comes from",
    "notes": "free text",
    "id": "an identifier",
    "open": "a list of components left open (or a mapping of component to the values it may take)",
    "phases": "a list of roadmap phases",
    "date": "the date whose recorded stances the proposal is judged against (YYYY-MM-DD)",
}
PHASE_KEYS = ("name", "timing", "set", "add", "remove", "notes")
#: As many phases as the engine's roadmap inputs provide (argmap_max_phases in lp/roadmap.lp).
MAX_PHASES = 8


def load_proposal(path: str, voc: Vocabulary) -> Proposal:
    """Read and validate one proposal file against the knowledge base's vocabulary.

    Raises:
        InputError: naming the file, line, column and key, what was expected
            and, for a typo, what was probably meant.
    """
    unread: list[InputError] = []
    root = load_yaml(path, errors=unread)
    return proposal_from_node(root, voc, path=path, unread=unread)


def proposal_from_node(
    root: Node,
    voc: Vocabulary,
    *,
    path: str,
    default_id: str | None = None,
    unread: Sequence[InputError] = (),
) -> Proposal:
    """Validate a parsed YAML tree as a proposal.

    Args:
        unread: the values of the file that YAML could not read (``load_yaml(path,
            errors=...)``: a YAML 1.1 number, an impossible date, a duplicate key),
            reported with the proposal's own errors; the vocabulary is checked on
            everything else, and no second error is given where one of these is.

    Raises:
        InputError: the first error in the file, in line order, with every other
            one it has in ``more`` (each key is checked on its own, as a compiler
            reads on).
    """
    components = voc.components
    v = _Validator(path, voc)
    errors = ErrorList()
    if root.kind != "mapping":
        errors.add(v.error("a proposal must be a mapping of keys to values", root, expected="a YAML mapping"))
        errors.raise_all(unread)
    attempt = errors.attempt

    keys: dict[str, tuple[int, int]] = root.keys  # type: ignore[assignment]
    unknown_keys = [k for k in keys if k not in META_KEYS and k not in components]
    allowed = [*META_KEYS, *components] if unknown_keys else []
    for key in unknown_keys:
        line, col = keys[key]
        errors.add(
            InputError(
                "unknown key",
                path=path,
                line=line,
                column=col,
                key=key,
                expected=one_of(allowed, limit=40),
                suggestion=closest(key, allowed),
            )
        )
    items: dict[str, Node] = root.value
    title = attempt(lambda: v.text(items, "title", root, required=True))
    source = attempt(lambda: v.text(items, "source", root, required=True))
    notes = attempt(lambda: v.text(items, "notes", root, required=False))
    pid = default_id or _stem(path)
    if "id" in items:
        pid = attempt(lambda: v.identifier(items["id"], "id")) or pid
    settings: list[Setting] = []
    for key, comp in components.items():
        node = items.get(key)
        if node is not None:
            try:
                values = v.component(node, comp)
            except InputError as exc:
                errors.add(exc)
                continue
            settings.extend((key, value) for value in values)
    opened: list[str] = []
    open_values: list[Setting] = []
    if "open" in items:
        opened, open_values = attempt(lambda: v.open_aspects(items["open"], items)) or ([], [])
    asked = attempt(lambda: v.date(items["date"])) if "date" in items else None
    date = v.recorded(items["date"], asked, errors.errors) if asked is not None else None
    phases: tuple[Phase, ...] = ()
    if "phases" in items:
        phases = attempt(lambda: v.phases(items["phases"], tuple(sorted(settings)))) or ()
        if phases:
            settings = list(phases[-1].settings)
    errors.check(unread)
    assert title is not None and source is not None
    return Proposal(
        pid,
        title,
        source,
        tuple(sorted(settings)),
        tuple(sorted(opened)),
        notes,
        path,
        phases,
        tuple(sorted(open_values)),
        date,
        asked,
    )


def _stem(path: str) -> str:
    """A proposal's default id: its file name without ``.yaml`` or ``.yml`` (``d.yaml.bak`` stays whole)."""
    name = os.path.basename(path)
    base, ext = os.path.splitext(name)
    return base if ext in (".yaml", ".yml") and base else name


class _Validator:
    def __init__(self, path: str, voc: Vocabulary) -> None:
        self.path = path
        self.voc = voc
        self.components: Mapping[str, Component] = voc.components

    def open_aspects(self, node: Node, items: dict[str, Node]) -> tuple[list[str], list[Setting]]:
        """``open: [key, ...]`` or ``open: {key: [value, ...], key2: all}``."""
        expected = "a list such as [activation], or a mapping such as {exemptions: [taxis, vans]}"
        opened: list[str] = []
        values: list[Setting] = []
        if node.kind == "sequence":
            entries = [(child, None) for child in node.value]
        elif node.kind == "mapping":
            entries = [(Node(k, *node.keys[k], "scalar"), child) for k, child in node.value.items()]  # type: ignore[index]
        else:
            raise self.error("must be a list or a mapping of component keys", node, key="open", expected=expected)
        for key_node, subset in entries:
            name = self.word(key_node, "open", list(self.components), "a component key")
            comp = self.components[name]
            if name in opened:
                raise self.error(f"'{name}' is listed twice", key_node, key="open")
            if name in items and comp.arity != "many":
                raise self.error(
                    f"'{name}' is both set and left open",
                    key_node,
                    key="open",
                    expected="either a value for it or its name under open, not both",
                )
            opened.append(name)
            if subset is None or (subset.kind == "scalar" and subset.value == "all"):
                continue
            chosen: list[str] = []
            for child in subset.value if subset.kind == "sequence" else [subset]:
                if comp.arity == "flag":
                    if child.kind != "scalar" or not isinstance(child.value, bool):
                        raise self.error(
                            f"{_describe(child)} is not true or false",
                            child,
                            key=f"open.{name}",
                            expected="true or false",
                        )
                    chosen.append("true" if child.value else "false")
                else:
                    chosen.append(self.word(child, f"open.{name}", list(comp.values), f"a value of {name}"))
            if not chosen:
                raise self.error("no values to choose from", subset, key=f"open.{name}")
            values += [(name, value) for value in dict.fromkeys(chosen)]
        return opened, values

    def date(self, node: Node) -> int:
        """A proposal's date as YYYYMMDD (the stances part must exist)."""
        import datetime

        if "stances" not in self.voc.parts:
            raise self.error(
                "this knowledge base records no stances, so a proposal cannot be dated",
                node,
                key="date",
                expected="no date key (or a knowledge base with dated stance/5 facts)",
            )
        value = node.value
        if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            try:  # a date in quotes is still a date
                value = datetime.date.fromisoformat(value)
            except ValueError as exc:
                raise self.error(f"'{node.value}' is not a date: {exc}", node, key="date") from None
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value.year * 10000 + value.month * 100 + value.day
        raise self.error(
            f"{_describe(node)} is not a date", node, key="date", expected="a calendar date such as 2024-06-13"
        )

    def recorded(self, node: Node, asked: int, errors: list[InputError]) -> int | None:
        """The latest recorded stance date on or before the proposal's date (stances are read as of it)."""
        earlier = [d for d in self.voc.snapshots if d <= asked]
        if not earlier:
            first = in_words(self.voc.snapshots[0]) if self.voc.snapshots else "?"
            errors.append(
                self.error(
                    f"no stance is recorded on or before {in_words(asked)}",
                    node,
                    key="date",
                    expected=f"a date from {first} on",
                )
            )
            return None
        return earlier[-1]

    def phases(self, node: Node, start: tuple[Setting, ...]) -> tuple[Phase, ...]:
        """A roadmap: each phase's changes applied to the settings before it."""
        if "roadmap" not in self.voc.parts:
            raise self.error(
                "this knowledge base defines no roadmap timings, so a proposal cannot have phases",
                node,
                key="phases",
                expected="no phases key (or a knowledge base with roadmap_timing/2 facts)",
            )
        if node.kind != "sequence" or not node.value:
            raise self.error("must be a non-empty list of phases", node, key="phases")
        if len(node.value) > MAX_PHASES:
            raise self.error(f"{len(node.value)} phases; at most {MAX_PHASES} are supported", node, key="phases")
        current = set(start)
        out: list[Phase] = []
        last = (-1, -1)
        names: set[str] = set()
        errors: list[InputError] = []
        for i, item in enumerate(node.value, 1):
            try:  # each phase is checked, as each key is: a bad phase is reported and the next one read
                phase, last = self.phase(item, f"phases[{i}]", current, last, names)
            except InputError as exc:
                errors.extend(exc.errors())
                continue
            current = set(phase.settings)
            out.append(phase)
        if errors:
            first, *rest = errors
            first.more = tuple(rest)
            raise first
        return tuple(out)

    def phase(
        self, item: Node, where: str, current: set[Setting], last: tuple[int, int], names: set[str]
    ) -> tuple[Phase, tuple[int, int]]:
        """One phase: its changes applied to the settings before it (`current`), after a phase
        at `last` (rank, offset); its name is added to `names`."""
        if item.kind != "mapping":
            raise self.error("a phase must be a mapping", item, key=where)
        for key, (line, col) in (item.keys or {}).items():
            if key not in PHASE_KEYS:
                raise InputError(
                    "unknown key in a phase",
                    path=self.path,
                    line=line,
                    column=col,
                    key=f"{where}.{key}",
                    expected=one_of(PHASE_KEYS),
                    suggestion=closest(key, PHASE_KEYS),
                )
        fields: dict[str, Node] = item.value
        name_node = fields.get("name")
        if name_node is None or name_node.kind != "scalar" or not isinstance(name_node.value, str):
            raise self.error(
                "missing or not text", name_node or item, key=f"{where}.name", expected="name: what this phase does"
            )
        if name_node.value in names:
            raise self.error(f"two phases are named '{name_node.value}'", name_node, key=f"{where}.name")
        names.add(name_node.value)
        errors: list[InputError] = []  # the timing and each change are checked on their own
        timing, offset = "", 0
        try:
            timing, offset = self.timing(fields.get("timing"), item, where)
        except InputError as exc:
            errors.extend(exc.errors())
        order = (self.voc.timings[timing].rank, offset) if timing else last
        if order < last:
            errors.append(
                self.error(
                    "phases must be in time order",
                    fields["timing"],
                    key=f"{where}.timing",
                    expected=", then ".join(t.name for t in sorted(self.voc.timings.values(), key=lambda t: t.rank)),
                )
            )
        for op in ("set", "add"):
            if op in fields:
                try:
                    changes = self.assignments(fields[op], f"{where}.{op}")
                except InputError as exc:
                    errors.extend(exc.errors())
                    continue
                for key, values in changes:
                    comp = self.components[key]
                    if op == "set" or comp.arity != "many":
                        current = {(k, val) for k, val in current if k != key}
                    current |= {(key, val) for val in values}
        if "remove" in fields:
            try:
                for key, value in self.removals(fields["remove"], f"{where}.remove"):
                    current = {(k, val) for k, val in current if not (k == key and value in (None, val))}
            except InputError as exc:
                errors.extend(exc.errors())
        if errors:
            first, *rest = errors
            first.more = tuple(rest)
            raise first
        return Phase(name_node.value, timing, offset, tuple(sorted(current))), order

    def timing(self, node: Node | None, parent: Node, where: str) -> tuple[str, int]:
        timings = self.voc.timings
        plain = [t for t in timings.values() if not t.unit]
        counted = [t for t in timings.values() if t.unit]
        expected = ", ".join(
            [t.name for t in plain] + [f"{{{t.name}: {t.unit.upper()}}}" for t in counted]  # type: ignore[union-attr]
        )
        if node is None:
            raise self.error("missing required key", parent, key=f"{where}.timing", expected=expected)
        if node.kind == "scalar" and isinstance(node.value, str) and node.value in timings:
            return node.value, 0
        if node.kind == "mapping" and len(node.value) == 1:
            ((name, count),) = node.value.items()
            timing = timings.get(name)
            if timing is not None and timing.unit:
                ok = count.kind == "scalar" and isinstance(count.value, int) and not isinstance(count.value, bool)
                if ok and 0 <= count.value <= timing.max_offset:
                    return name, count.value
                raise self.error(
                    f"{count.value} {timing.unit} is out of range" if ok else f"{timing.unit} must be a whole number",
                    count,
                    key=f"{where}.timing",
                    expected=f"0 to {timing.max_offset}",
                )
        shown = (
            node.value
            if node.kind == "scalar"
            else next(iter(node.value), node.kind)
            if node.kind == "mapping"
            else node.kind
        )
        raise self.error(
            f"'{shown}' is not a timing",
            node,
            key=f"{where}.timing",
            expected=expected,
            suggestion=closest(str(shown), timings),
        )

    def assignments(self, node: Node, where: str) -> list[tuple[str, list[str]]]:
        if node.kind != "mapping":
            raise self.error("must be a mapping of component to value", node, key=where)
        out = []
        for key, child in node.value.items():
            if key not in self.components:
                raise unknown(
                    self.path,
                    node.keys[key],
                    key,
                    self.components,
                    what="unknown component",  # type: ignore[index]
                    shown=f"{where}.{key}",
                )
            out.append((key, self.component(child, self.components[key])))
        return out

    def removals(self, node: Node, where: str) -> list[tuple[str, str | None]]:
        items = node.value if node.kind == "sequence" else [node]
        out: list[tuple[str, str | None]] = []
        for item in items:
            if item.kind != "scalar" or not isinstance(item.value, str):
                raise self.error("must be a component key, or key=value", item, key=where)
            key, _, value = item.value.partition("=")
            if key not in self.components:
                raise self.error(
                    f"'{key}' is not a component",
                    item,
                    key=where,
                    expected=one_of(self.components, 40),
                    suggestion=closest(key, self.components),
                )
            if value and value not in self.components[key].values:
                raise self.error(
                    f"'{value}' is not a value of {key}",
                    item,
                    key=where,
                    expected=one_of(self.components[key].values),
                    suggestion=closest(value, self.components[key].values),
                )
            out.append((key, value or None))
        return out

    def error(self, message: str, node: Node, **kw: object) -> InputError:
        return InputError(message, path=self.path, line=node.line, column=node.column, **kw)  # type: ignore[arg-type]

    def text(self, items: dict[str, Node], key: str, parent: Node, *, required: bool) -> str | None:
        node = items.get(key)
        if node is None:
            if required:
                raise self.error("missing required key", parent, key=key, expected=f"{key}: {META_KEYS[key]}")
            return None
        if node.kind != "scalar" or not isinstance(node.value, str) or not node.value.strip():
            reading = yaml_reading(node)
            if reading:
                raise self.error(f"must be text; {reading}", node, key=key, expected=META_KEYS[key])
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

    def word(self, node: Node, key: str, choices: Sequence[str], what: str) -> str:
        if node.value.__class__ is str and node.kind == "scalar" and node.value in choices:
            return node.value  # the common case, settled before any message is thought of
        reading = yaml_reading(node, choices)
        if reading:
            raise self.error(reading, node, key=key, expected=one_of(choices))
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
        allowed = comp.values
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


PROPOSAL_SUFFIXES = (".yaml", ".yml")

#: Names sorted in memory at a time by :func:`proposal_names` before they are packed.
_RUN = 4096


def is_proposal_name(name: str) -> bool:
    """Whether a file name in a folder names a proposal: ``.yaml`` or ``.yml``, not a dotfile."""
    return name.endswith(PROPOSAL_SUFFIXES) and not name.startswith(".")


class _Run:
    """Up to :data:`_RUN` file names, sorted, packed as one bytes object (``os.fsencode``) with their ends."""

    __slots__ = ("blob", "ends")

    def __init__(self, names: list[str]) -> None:
        from array import array

        names.sort()
        encoded = [os.fsencode(name) for name in names]
        self.blob = b"".join(encoded)
        self.ends = array("I")
        end = 0
        for item in encoded:
            end += len(item)
            self.ends.append(end)

    def __iter__(self) -> Iterator[str]:
        start = 0
        for end in self.ends:
            yield os.fsdecode(self.blob[start:end])
            start = end


class ProposalFiles(Collection[str]):
    """The proposal files of :func:`expand_paths`, in order: ``len()``, ``in`` and iteration (each time anew).

    A folder's names are kept packed (about their length in bytes, plus 4 a name,
    rather than a Python string of the whole path each), so listing a folder of
    100,000 proposals costs a few megabytes, not tens.
    """

    def __init__(self) -> None:
        self._items: list[tuple[str, list[_Run] | None]] = []
        self._count = 0

    def _add_file(self, path: str) -> None:
        self._items.append((path, None))
        self._count += 1

    def _add_folder(self, folder: str, runs: list[_Run]) -> None:
        self._items.append((folder, runs))
        self._count += sum(len(run.ends) for run in runs)

    def __len__(self) -> int:
        return self._count

    def __contains__(self, path: object) -> bool:
        return any(path == item for item in self)

    def __iter__(self) -> Iterator[str]:
        import heapq

        for path, runs in self._items:
            if runs is None:
                yield path
            else:
                for name in heapq.merge(*runs):
                    yield os.path.join(path, name)


def proposal_runs(folder: str) -> list[_Run]:
    """A folder's proposal file names (:func:`is_proposal_name`; not a subfolder), as sorted packed runs to merge.

    Names are read with ``os.scandir`` and sorted :data:`_RUN` at a time, so no
    list of every name is ever held: memory is about the names' total length.

    Raises:
        OSError: the folder cannot be read.
    """
    runs: list[_Run] = []
    names: list[str] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if is_proposal_name(entry.name) and not _is_folder(entry):  # a folder named x.yaml is not a proposal
                names.append(entry.name)
                if len(names) == _RUN:
                    runs.append(_Run(names))
                    names = []
    if names:
        runs.append(_Run(names))
    return runs


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """Whether a folder entry is a folder, following links; a link that cannot be followed (a loop,
    a name too long) is not, so it is listed and reading it reports the error for that file alone."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def proposal_names(folder: str) -> Iterator[str]:
    """A folder's proposal file names (:func:`is_proposal_name`), sorted by code point.

    Raises:
        OSError: the folder cannot be read.
    """
    import heapq

    return heapq.merge(*proposal_runs(folder))


def expand_paths(paths: Iterable[str]) -> ProposalFiles:
    """Files as given; folders as their proposal files (:func:`is_proposal_name`), sorted.

    Every path is checked (and every folder listed) before this returns, so a
    missing one is reported before any proposal is judged.

    Raises:
        InputError: a path does not exist, a folder cannot be read, or a folder holds no proposal file.
    """
    out = ProposalFiles()
    for path in paths:
        if os.path.isdir(path):
            try:
                runs = proposal_runs(path)
            except OSError as exc:
                raise InputError(f"cannot read the folder: {exc.strerror or exc}", path=path) from None
            if not runs:
                raise InputError("the folder has no proposal files (.yaml or .yml)", path=path)
            out._add_folder(path, runs)
        elif os.path.exists(path) or os.path.islink(path):
            out._add_file(path)
        else:
            raise InputError("no such file or folder", path=path)
    return out
