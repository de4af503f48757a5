"""Scenario files: YAML test cases for the reasoning.

A scenario file holds a list of cases under ``scenarios:``.  Each case gives a
proposal (a path relative to the file, or inline), optional changes in the
vocabulary of ``argmap whatif``, and the verdicts it expects, under the names
the knowledge base declares.  A case may have ``variations``: one proposal,
many changes, one expectation each (a table).

What ``expect`` may say of a verdict depends on its kind: a bool verdict
``true`` or ``false`` (read at the worst completion of an open proposal) or
``all``/``some``/``none`` (how ``true`` holds across completions); a level
verdict one level, or the list of levels its completions reach; a set verdict
the list of its members (exactly; ``[]`` for none).  Expected reasons,
conflicts, warnings and notes are checked as subsets of the actual ones, as
Cedar does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..model.errors import ErrorList, InputError, closest, one_of
from ..model.kb import Vocabulary
from ..model.proposal import Change, Proposal
from ..model.testing import Case, Expect, ReasonPattern
from .changes import parse_changes
from .proposals import load_proposal, proposal_from_node
from .yamltree import Node, check_keys, load_yaml, yaml_reading

SCENARIO_SUFFIXES = (".yaml", ".yml")
CASE_KEYS = ("name", "description", "tags", "skip", "proposal", "changes", "expect", "variations")
VARIATION_KEYS = ("name", "description", "tags", "skip", "changes", "expect")
CHANGE_KEYS = ("set", "add", "unset", "open", "reject_claim", "as_of", "as_of_actor", "stance")
#: What an expectation may name besides the verdicts.
LIST_EXPECT = ("reasons", "conflicts", "warnings", "notes")
#: Under ``absent:``, what must NOT be among the actual ones.
ABSENT_KEYS = LIST_EXPECT
HOLDS = ("all", "some", "none")


def expect_keys(voc: Vocabulary) -> tuple[str, ...]:
    """The keys of ``expect:``: the declared verdicts, then reasons, conflicts, warnings, notes."""
    return (*voc.registry.names, *LIST_EXPECT, "absent")


#: A row of a ``variations:`` table: its node, name, changes, expectation, description, tags, skip.
_Row = tuple[Node, str, tuple[Change, ...], Expect, str | None, tuple[str, ...], str | None]


@dataclass
class ScenarioFile:
    path: str
    cases: list[Case] = field(default_factory=list)


def discover(paths: list[str]) -> list[str]:
    """Scenario files under the given paths (files as given, folders searched), sorted."""
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                found.extend(os.path.join(root, f) for f in sorted(files) if f.endswith(SCENARIO_SUFFIXES))
        elif os.path.exists(path):
            found.append(path)
        else:
            raise InputError("no such file or folder", path=path)
    return sorted(dict.fromkeys(os.path.normpath(p) for p in found))


def load_scenarios(path: str, voc: Vocabulary) -> ScenarioFile:
    """Read and validate one scenario file."""
    return _Reader(path, voc).read()


class _Reader:
    def __init__(self, path: str, voc: Vocabulary) -> None:
        self.path = path
        self.voc = voc

    def error(self, message: str, node: Node, **kw: object) -> InputError:
        return InputError(message, path=self.path, line=node.line, column=node.column, **kw)  # type: ignore[arg-type]

    def keys(
        self, node: Node, allowed: tuple[str, ...], where: str, errors: ErrorList | None = None
    ) -> dict[str, Node]:
        return check_keys(node, allowed, self.path, where, errors)

    def missing(self, errors: ErrorList, node: Node, key: str, expected: str | None = None) -> None:
        """Record that `key` is missing, unless a misspelling of it was already reported ("did you mean")."""
        if not errors.suggests(key):
            errors.add(self.error("missing required key", node, key=key, expected=expected))

    def text(self, node: Node | None, key: str) -> str | None:
        if node is None:
            return None
        if node.kind != "scalar" or not isinstance(node.value, str) or not node.value.strip():
            raise self.error("must be text", node, key=key)
        return node.value.strip()

    def words(self, node: Node | None, key: str) -> tuple[str, ...]:
        if node is None:
            return ()
        items = node.value if node.kind == "sequence" else [node]
        out = []
        for item in items:
            value = item.value
            if item.kind != "scalar" or not isinstance(value, str) or not value or value != value.strip():
                raise self.error("must be a word or a list of words", item, key=key)
            out.append(item.value)
        return tuple(out)

    def read(self) -> ScenarioFile:
        """The file's cases.

        Raises:
            InputError: the first error in the file, in line order, with every other one in
                ``more``: each case, and each part of a case (its proposal, changes, expectation,
                each variation), is checked on its own, as a compiler reads on.
        """
        unread: list[InputError] = []
        root = load_yaml(self.path, errors=unread)
        errors = ErrorList()
        top = errors.attempt(lambda: self.keys(root, ("scenarios",), "a scenario file", errors))
        if top is not None and "scenarios" not in top:
            self.missing(errors, root, "scenarios", "scenarios: a list of cases")
        elif top is not None and top["scenarios"].kind != "sequence":
            errors.add(self.error("must be a list of cases", top["scenarios"], key="scenarios"))
        if top is None or "scenarios" not in top or top["scenarios"].kind != "sequence":
            errors.raise_all(unread)
        result = ScenarioFile(self.path)
        names: set[str] = set()
        for index, node in enumerate(top["scenarios"].value):  # type: ignore[index]
            for case in errors.attempt(lambda node=node, index=index: self.case(node, index)) or ():
                if case.id in names:
                    errors.add(self.error(f"two cases are named '{case.name}'", node, key="name"))
                names.add(case.id)
                result.cases.append(case)
        errors.check(unread)
        return result

    def case(self, node: Node, index: int) -> list[Case]:
        """The case at `node` (one, or one per variation); every error in it, raised together."""
        errors = ErrorList()
        items = self.keys(node, CASE_KEYS, "a case", errors)
        name = errors.attempt(lambda: self.text(items.get("name"), "name"))
        if name is None and "name" not in items:
            self.missing(errors, node, "name", "name: a short description")
        proposal = None
        if "proposal" not in items:
            self.missing(errors, node, "proposal", "proposal: a file path or an inline proposal")
        else:
            proposal = errors.attempt(lambda: self.proposal(items["proposal"], name or "inline"))
        tags = errors.attempt(lambda: self.words(items.get("tags"), "tags")) or ()
        skip = errors.attempt(lambda: self.text(items.get("skip"), "skip"))
        description = errors.attempt(lambda: self.text(items.get("description"), "description"))
        changes = errors.attempt(lambda: self.changes(items.get("changes"))) or ()
        expect = errors.attempt(lambda: self.expect(items["expect"])) if "expect" in items else None
        if "expect" not in items and "variations" not in items:
            self.missing(errors, node, "expect", "expect: the verdicts (or variations: a table of cases)")
        rows: list[_Row] = []
        if "variations" in items:
            table = items["variations"]
            if table.kind != "sequence" or not table.value:
                errors.add(self.error("must be a non-empty list", table, key="variations"))
            else:
                rows = [row for vnode in table.value if (row := self.variation(vnode, errors)) is not None]
        if errors:
            errors.raise_all()
        assert name is not None and proposal is not None
        base_id = f"{self.path}::{name}"
        out: list[Case] = []
        if expect is not None:
            out.append(
                Case(
                    base_id,
                    name,
                    self.path,
                    node.line,
                    proposal,
                    changes,
                    expect,
                    description,
                    tags,
                    skip,
                    (index, None),
                )
            )
        for vindex, (vnode, vname, vchanges, vexpect, vdescription, vtags, vskip) in enumerate(rows):
            out.append(
                Case(
                    f"{base_id}::{vname}",
                    f"{name} / {vname}",
                    self.path,
                    vnode.line,
                    proposal,
                    changes + vchanges,
                    vexpect,
                    vdescription or description,
                    tags + vtags,
                    vskip or skip,
                    (index, vindex),
                )
            )
        return out

    def variation(self, vnode: Node, errors: ErrorList) -> _Row | None:
        """One row of a case's ``variations:`` table, its errors recorded in `errors`; None if it has any."""
        before = len(errors.errors)
        vitems = errors.attempt(lambda: self.keys(vnode, VARIATION_KEYS, "a variation", errors))
        if vitems is None:
            return None
        name = errors.attempt(lambda: self.text(vitems.get("name"), "name"))
        if name is None and "name" not in vitems:
            self.missing(errors, vnode, "name")
        changes = errors.attempt(lambda: self.changes(vitems.get("changes"))) or ()
        expect = errors.attempt(lambda: self.expect(vitems["expect"])) if "expect" in vitems else None
        if "expect" not in vitems:
            self.missing(errors, vnode, "expect")
        description = errors.attempt(lambda: self.text(vitems.get("description"), "description"))
        tags = errors.attempt(lambda: self.words(vitems.get("tags"), "tags")) or ()
        skip = errors.attempt(lambda: self.text(vitems.get("skip"), "skip"))
        if len(errors.errors) > before or name is None or expect is None:
            return None
        return vnode, name, changes, expect, description, tags, skip

    def proposal(self, node: Node, name: str) -> Proposal:
        if node.kind == "scalar":
            if not isinstance(node.value, str):
                raise self.error("must be a file path or a mapping", node, key="proposal")
            target = os.path.normpath(os.path.join(os.path.dirname(self.path), node.value))
            if not os.path.isfile(target):
                raise self.error(f"no proposal file {node.value} (looked for {target})", node, key="proposal")
            return load_proposal(target, self.voc)
        if node.kind == "mapping":
            slug = "".join(c if c.isalnum() else "_" for c in name.lower()).strip("_") or "inline"
            return proposal_from_node(node, self.voc, path=self.path, default_id=f"inline_{slug}")
        raise self.error("must be a file path or a mapping", node, key="proposal")

    def changes(self, node: Node | None) -> tuple[Change, ...]:
        if node is None:
            return ()
        items = self.keys(node, CHANGE_KEYS, "changes")
        args: dict[str, object] = {}
        try:
            if "set" in items:
                sets, adds = self._assignments(items["set"], "set")
                args["sets"], args["adds"] = sets, adds
            if "add" in items:
                more_sets, more_adds = self._assignments(items["add"], "add")
                args["adds"] = (*args.get("adds", ()), *more_sets, *more_adds)  # type: ignore[misc]
            if "unset" in items:
                args["unsets"] = self.words(items["unset"], "unset")
            if "open" in items:
                args["opens"] = self.words(items["open"], "open")
            if "reject_claim" in items:
                args["rejects"] = self.words(items["reject_claim"], "reject_claim")
            if "as_of" in items:
                args["as_of"] = str(items["as_of"].value)
            if "as_of_actor" in items:
                args["actor_as_of"] = tuple(f"{k}={v}" for k, v in self._mapping(items["as_of_actor"]).items())
            if "stance" in items:
                args["stances"] = tuple(f"{k}={v}" for k, v in self._mapping(items["stance"]).items())
            return tuple(parse_changes(self.voc, allow_none=True, **args))  # type: ignore[arg-type]
        except InputError as exc:
            if exc.path is None:
                key = _YAML_KEY.get(exc.key or "", exc.key)
                at = items.get(key or "", node)  # the value at fault, where YAML's own error about it stands
                exc.path, exc.line, exc.column = self.path, at.line, at.column
                exc.key = f"changes{'.' + key if key else ''}"
            raise

    def _mapping(self, node: Node) -> dict[str, str]:
        if node.kind != "mapping":
            raise self.error("must be a mapping", node)
        out = {}
        for key, value in node.value.items():
            if value.kind != "scalar" or value.value is None:
                raise self.error("must be a single value", value, key=key)
            out[key] = str(value.value)
        return out

    def _assignments(self, node: Node, key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """`{k: v}` or `{k: [v1, v2]}`: the first value of a list replaces, the rest add."""
        if node.kind != "mapping":
            raise self.error("must be a mapping of component to value", node, key=key)
        sets, adds = [], []
        for comp, value in node.value.items():
            values = value.value if value.kind == "sequence" else [value]
            words = []
            for v in values:
                if v.kind != "scalar" or v.value is None:
                    raise self.error("must be a value or a list of values", v, key=f"{key}.{comp}")
                known = self.voc.components.get(comp)
                reading = yaml_reading(v, known.values) if known is not None and known.arity != "flag" else None
                if reading:
                    raise self.error(reading, v, key=f"{key}.{comp}", expected=one_of(known.values))  # type: ignore[union-attr]
                words.append(("true" if v.value else "false") if isinstance(v.value, bool) else str(v.value))
            if not words:
                raise self.error("the list is empty", value, key=f"{key}.{comp}")
            first = (f"{comp}={words[0]}",)
            rest = tuple(f"{comp}={w}" for w in words[1:])
            try:  # each component on its own, so that an error names it and points at it
                if key == "set":
                    parse_changes(self.voc, sets=first, adds=rest)
                else:
                    parse_changes(self.voc, adds=first + rest)
            except InputError as exc:
                unknown_key = comp not in self.voc.components and node.keys
                line, column = node.keys[comp] if unknown_key else (value.line, value.column)  # type: ignore[index]
                raise InputError(
                    exc.message,
                    path=self.path,
                    line=line,
                    column=column,
                    key=f"changes.{comp}",
                    expected=exc.expected,
                    suggestion=exc.suggestion,
                ) from None
            sets.append(first[0])
            adds.extend(rest)
        return tuple(sets), tuple(adds)

    def expect(self, node: Node) -> Expect:
        registry = self.voc.registry
        items = self.keys(node, expect_keys(self.voc), "expect")
        values: dict[str, tuple[str, object]] = {}
        for spec in registry:
            if spec.name not in items:
                continue
            v = items[spec.name]
            key = f"expect.{spec.name}"
            if spec.kind == "bool":
                if v.kind == "scalar" and isinstance(v.value, bool):
                    values[spec.name] = ("bool", v.value)
                elif v.kind == "scalar" and v.value in HOLDS:
                    values[spec.name] = ("holds", v.value)
                else:
                    raise self.error(
                        "must be true or false (or all, some, none: how it holds across completions)", v, key=key
                    )
            elif spec.kind == "level":
                levels = v.value if v.kind == "sequence" and v.value else [v]
                for item in levels:
                    if item.kind != "scalar" or item.value not in spec.values:
                        raise self.error(
                            f"'{item.value if item.kind == 'scalar' else item.kind}' is not a level of {spec.name}",
                            item,
                            key=key,
                            expected=one_of(spec.values) + " (or a list of them)",
                            suggestion=closest(str(item.value), spec.values),
                        )
                chosen = {item.value for item in levels}
                values[spec.name] = ("levels", tuple(lv for lv in spec.values if lv in chosen))
            else:
                members = self.words(v, key) if not (v.kind == "sequence" and not v.value) else ()
                for m in members:
                    if spec.values and m not in spec.values:
                        raise self.error(
                            f"'{m}' is not a member {spec.name} can have",
                            v,
                            key=key,
                            expected=one_of(spec.values) + " (a list; [] for none)",
                            suggestion=closest(m, spec.values),
                        )
                values[spec.name] = ("members", tuple(sorted(set(members))))
        reasons = tuple(self._reason(r) for r in self._list(items.get("reasons"), "reasons"))
        conflicts = self.words(items.get("conflicts"), "expect.conflicts")
        warnings = self.words(items.get("warnings"), "expect.warnings")
        notes = self.words(items.get("notes"), "expect.notes")
        absent: dict[str, tuple[object, ...]] = {}
        if "absent" in items:
            gone = self.keys(items["absent"], ABSENT_KEYS, "expect.absent")
            if "reasons" in gone:
                absent["reasons"] = tuple(
                    self._reason(r, "expect.absent.reasons") for r in self._list(gone["reasons"], "absent.reasons")
                )
            for key in ("conflicts", "warnings", "notes"):
                if key in gone:
                    absent[key] = self.words(gone[key], f"expect.absent.{key}")
        if not values and not (reasons or conflicts or warnings or notes or any(absent.values())):
            raise self.error("expects nothing", node, key="expect", expected="at least one verdict")
        return Expect(values, reasons, conflicts, warnings, notes, node.line, absent)

    def _list(self, node: Node | None, key: str) -> list[Node]:
        if node is None:
            return []
        if node.kind != "sequence":
            raise self.error("must be a list", node, key=f"expect.{key}")
        return list(node.value)

    def _reason(self, node: Node, key: str = "expect.reasons") -> ReasonPattern:
        registry = self.voc.registry
        if node.kind == "scalar":
            claim, verdict, effect = node.value, None, None
        else:
            items = self.keys(node, ("claim", "verdict", "effect"), "an expected reason")
            claim = items["claim"].value if "claim" in items else None
            verdict = items["verdict"].value if "verdict" in items else None
            effect = items["effect"].value if "effect" in items else None
        bases = [*self.voc.claims, *self.voc.bases]
        if not isinstance(claim, str) or claim not in bases:
            raise self.error(
                f"'{claim}' is not a claim",
                node,
                key=key,
                expected="a claim id (see argmap claims)",
                suggestion=closest(str(claim), bases),
            )
        if verdict is not None and verdict not in registry:
            raise self.error(
                f"'{verdict}' is not a verdict",
                node,
                key=f"{key}.verdict",
                expected=one_of(registry.names),
                suggestion=closest(str(verdict), registry.names),
            )
        effects = (
            sorted({e for spec in registry for e in spec.effects})
            if verdict is None
            else list(registry[verdict].effects)
        )
        if effect is not None and (not isinstance(effect, str) or effect not in effects):
            raise self.error(
                f"'{effect}' is not an effect{' of ' + verdict if verdict else ''}",
                node,
                key=f"{key}.effect",
                expected=one_of(effects),
                suggestion=closest(str(effect), effects),
            )
        return ReasonPattern(claim, verdict, effect)


#: Command-line flags named in whatif's errors, as the keys a scenario file uses.
_YAML_KEY = {
    "--reject-claim": "reject_claim",
    "--stance": "stance",
    "--as-of": "as_of",
    "--as-of-actor": "as_of_actor",
    "--set": "set",
    "--add": "add",
    "--unset": "unset",
    "--open": "open",
    "-k": "-k",
}
