"""Design spaces: which packages to search, what each choice costs, what is ruled out.

```yaml
title: Congestion charges a city could adopt
fixed:                        # every package has these (proposal format)
  zone: centre
choices:                      # component: {value: cost}
  exemptions: {taxis: 1, vans: 2, buses: 0}
  charge_level: {low: 1, medium: 2, high: 4}
  night_charge: {true: 3, false: 0}
constraints:
  - forbid: {charge_level: high}
    note: no high charge in the first year
  - require: {night_charge: false}
goals: [effective]            # verdicts every package found must have good (default: the gates)
axes: [burden, gaps]          # the Pareto front's axes besides cost (default: the other verdicts)
```

A one-valued or flag component in ``choices`` takes exactly one of the listed
values; a list component takes any subset of them, each value a choice of its
own.  The space becomes facts (``option/3``, ``fixed/2``, ``forbid/2``,
``require/2``) made from clingo symbols, never from text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import clingo

from ..model.errors import ErrorList, InputError, closest, one_of
from ..model.kb import Component, Vocabulary
from ..model.verdicts import Registry
from .yamltree import Node, check_keys, load_yaml, unknown, yaml_reading

TOP_KEYS = ("title", "source", "notes", "fixed", "choices", "constraints", "goals", "axes")
MAX_COST = 1_000_000


@dataclass(frozen=True)
class Constraint:
    kind: str  # forbid | require
    settings: tuple[tuple[str, str], ...]
    note: str | None = None


@dataclass
class DesignSpace:
    title: str
    path: str
    fixed: list[tuple[str, str]] = field(default_factory=list)
    choices: dict[str, dict[str, int]] = field(default_factory=dict)
    constraints: list[Constraint] = field(default_factory=list)
    arity: dict[str, str] = field(default_factory=dict)
    goals: tuple[str, ...] = ()
    axes: tuple[str, ...] | None = None
    #: The verdicts of the knowledge base the space was read against (goals and axes are checked against them).
    registry: Registry | None = None

    def size(self) -> int:
        """How many packages the choices span (before constraints)."""
        total = 1
        for key, values in self.choices.items():
            total *= 2 ** len(values) if self.arity[key] == "many" else len(values)
        return total

    def binary_choices(self) -> int:
        """The number of independent yes/no decisions the space holds (log2 of its size, rounded down)."""
        return self.size().bit_length() - 1

    def facts(self) -> list[clingo.Symbol]:
        fn, num = clingo.Function, clingo.Number
        out = [
            fn("option", [fn(k), fn(v), num(c)])
            for k, vals in sorted(self.choices.items())
            for v, c in sorted(vals.items())
        ]
        out += [fn("fixed", [fn(k), fn(v)]) for k, v in sorted(self.fixed)]
        for c in self.constraints:
            out += [fn(c.kind, [fn(k), fn(v)]) for k, v in c.settings]
        return out


def load_space(path: str, voc: Vocabulary) -> DesignSpace:
    """Read and validate a design space file against the knowledge base's vocabulary and verdicts.

    Raises:
        InputError: with the file, line, key, what was expected and a "did you mean".
    """
    unread: list[InputError] = []
    root = load_yaml(path, errors=unread)
    r = _Reader(path, voc)
    return r.read(root, unread)


class _Reader:
    def __init__(self, path: str, voc: Vocabulary) -> None:
        self.path = path
        self.voc = voc
        self.components: Mapping[str, Component] = voc.components

    def verdicts(self, node: Node, key: str, kinds: tuple[str, ...]) -> tuple[str, ...]:
        items = node.value if node.kind == "sequence" else [node]
        allowed = [s.name for s in self.voc.registry if s.kind in kinds]
        out = []
        for item in items:
            if item.kind != "scalar" or item.value not in allowed:
                shown = item.value if item.kind == "scalar" else item.kind
                raise self.error(
                    f"'{shown}' is not a verdict that can be {'a goal' if key == 'goals' else 'an axis'}",
                    item,
                    key=key,
                    expected=one_of(allowed),
                    suggestion=closest(str(shown), allowed),
                )
            out.append(item.value)
        return tuple(dict.fromkeys(out))

    def error(self, message: str, node: Node, **kw: object) -> InputError:
        return InputError(message, path=self.path, line=node.line, column=node.column, **kw)  # type: ignore[arg-type]

    def mapping(
        self,
        node: Node,
        where: str,
        allowed: list[str] | tuple[str, ...] | None = None,
        errors: ErrorList | None = None,
    ) -> dict[str, Node]:
        if node.kind != "mapping":
            raise self.error(f"{where} must be a mapping", node, key=where)
        if allowed is not None:
            return check_keys(node, allowed, self.path, where, errors)
        return node.value

    def value(self, node: Node, key: str, where: str) -> str:
        comp = self.components[key]
        raw = node.value
        if comp.arity == "flag" and isinstance(raw, bool):
            return "true" if raw else "false"
        reading = yaml_reading(node, comp.values)
        if reading:
            raise self.error(reading, node, key=f"{where}.{key}", expected=one_of(comp.values))
        if node.kind != "scalar" or isinstance(raw, bool) or not isinstance(raw, str) or raw not in comp.values:
            shown = raw if node.kind == "scalar" else node.kind
            raise self.error(
                f"'{shown}' is not a value of {key}",
                node,
                key=f"{where}.{key}",
                expected=one_of(comp.values),
                suggestion=closest(str(shown), comp.values),
            )
        return raw

    def component(self, key: str, line: int, col: int, where: str) -> Component:
        if key not in self.components:
            raise unknown(
                self.path, (line, col), key, self.components, what="unknown component", shown=f"{where}.{key}"
            )
        return self.components[key]

    def settings(self, node: Node, where: str) -> list[tuple[str, str]]:
        out = []
        for key, child in self.mapping(node, where).items():
            line, col = node.keys[key]  # type: ignore[index]
            self.component(key, line, col, where)
            items = child.value if child.kind == "sequence" else [child]
            out += [(key, self.value(item, key, where)) for item in items]
        return out

    def read(self, root: Node, unread: Sequence[InputError] = ()) -> DesignSpace:
        """The design space at `root`.

        Raises:
            InputError: the first error in the file, in line order, with every other one in
                ``more``: the title, the fixed settings, each choice, each constraint, the goals
                and the axes are checked on their own, as a compiler reads on.
        """
        errors = ErrorList()
        top = errors.attempt(lambda: self.mapping(root, "a design space", TOP_KEYS, errors))
        if top is None:
            errors.raise_all(unread)
        title = top.get("title")
        if (title is None and not errors.suggests("title")) or (
            title is not None and (title.kind != "scalar" or not isinstance(title.value, str))
        ):
            errors.add(self.error("missing or empty", title or root, key="title", expected="title: a one-line title"))
        space = DesignSpace(
            title.value if title is not None and isinstance(title.value, str) else "",
            self.path,
            arity={k: c.arity for k, c in self.components.items()},
            registry=self.voc.registry,
        )
        if "fixed" in top:
            space.fixed = errors.attempt(lambda: self.settings(top["fixed"], "fixed")) or []
        if "choices" not in top:
            if not errors.suggests("choices"):  # a misspelt `choices:` was reported already
                errors.add(
                    self.error(
                        "missing required key", root, key="choices", expected="choices: component -> {value: cost}"
                    )
                )
        else:
            choices = top["choices"]
            for key, child in (errors.attempt(lambda: self.mapping(choices, "choices")) or {}).items():
                costs = errors.attempt(lambda key=key, child=child: self.choice(space, choices, key, child))
                if costs is not None:
                    space.choices[key] = costs
        if "constraints" in top:
            cons = top["constraints"]
            if cons.kind != "sequence":
                errors.add(self.error("must be a list", cons, key="constraints"))
            else:
                for item in cons.value:
                    constraint = errors.attempt(lambda item=item: self.constraint(item))
                    if constraint is not None:
                        space.constraints.append(constraint)
        if "goals" in top:
            space.goals = errors.attempt(lambda: self.verdicts(top["goals"], "goals", ("bool", "level", "set")))
        if "axes" in top:
            space.axes = errors.attempt(lambda: self.verdicts(top["axes"], "axes", ("bool", "level")))
        errors.check(unread)
        return space

    def choice(self, space: DesignSpace, choices: Node, key: str, child: Node) -> dict[str, int]:
        """The values of one component under ``choices:`` and the cost of each."""
        line, col = choices.keys[key]  # type: ignore[index]
        self.component(key, line, col, "choices")
        if any(k == key for k, _ in space.fixed):
            raise self.error("is both fixed and a choice", child, key=f"choices.{key}")
        costs: dict[str, int] = {}
        if child.kind == "sequence":
            pairs = [(item, None) for item in child.value]
        else:
            pairs = [(Node(k, *child.keys[k], "scalar"), v) for k, v in self.mapping(child, f"choices.{key}").items()]  # type: ignore[index]
        errors = ErrorList()
        for value_node, cost_node in pairs:
            raw = value_node.value
            if isinstance(raw, str) and self.components[key].arity == "flag" and raw in ("true", "false"):
                value = raw
            else:
                value = errors.attempt(lambda value_node=value_node: self.value(value_node, key, "choices"))
                if value is None:
                    continue
            cost = 0
            if cost_node is not None:
                if (
                    cost_node.kind != "scalar"
                    or isinstance(cost_node.value, bool)
                    or not isinstance(cost_node.value, int)
                ):
                    errors.add(self.error("a cost must be a whole number", cost_node, key=f"choices.{key}.{value}"))
                    continue
                cost = cost_node.value
                if not 0 <= cost <= MAX_COST:
                    errors.add(
                        self.error(
                            f"cost {cost} is out of range",
                            cost_node,
                            key=f"choices.{key}.{value}",
                            expected=f"0 to {MAX_COST}",
                        )
                    )
                    continue
            costs[value] = cost
        errors.check()
        if not costs:
            raise self.error("no values to choose from", child, key=f"choices.{key}")
        return costs

    def constraint(self, item: Node) -> Constraint:
        """One entry of ``constraints:``: exactly one of forbid or require, and a note."""
        fields = self.mapping(item, "constraints", ("forbid", "require", "note"))
        kinds = [k for k in ("forbid", "require") if k in fields]
        if len(kinds) != 1:
            raise self.error("give exactly one of forbid or require", item, key="constraints")
        note = fields["note"].value if "note" in fields else None
        return Constraint(
            kinds[0], tuple(self.settings(fields[kinds[0]], kinds[0])), str(note) if note is not None else None
        )
