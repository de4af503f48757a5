"""What the web page asks, answered as plain JSON data: no web framework here.

Each method takes a request body already decoded from JSON (a ``dict``),
validates it, makes one or a few calls into :class:`argmap.api.Argmap`, and
returns the shapes of :mod:`argmap.render.json` (documented in the README).
Every mistake in a body raises :class:`~argmap.model.errors.InputError` with the
same words as the command line; :mod:`argmap.serve.app` turns it into an HTTP
error.  The methods are not thread-safe (they share grounded engines); the app
serialises them.

A proposal arrives either as YAML text (``{"yaml": "..."}``, read exactly as
``argmap check`` reads a file) or as the mapping a proposal file holds
(``{"proposal": {...}}``), which is written out as YAML and then read the same
way, so that both give the same errors and the YAML the page downloads is the
text that was judged.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from ..io.files import is_utf8_name
from ..io.proposals import proposal_from_node, proposal_names
from ..io.yamltree import MAX_BYTES, MAX_DEPTH, Node, load_yaml
from ..model.errors import InputError, closest, one_of
from ..model.proposal import Proposal
from ..render import json as render_json

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Argmap
    from ..model.argument_map import ArgumentMap
    from ..model.verdicts import Verdict

#: The name a proposal without one is shown under in messages.
DEFAULT_NAME = "proposal.yaml"
_NAME = re.compile(r"^[A-Za-z0-9_/][A-Za-z0-9_./-]{0,199}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: The what-if change lists a body may give, and the keyword of ``Argmap.changes`` each becomes.
CHANGE_KEYS = {
    "set": "sets",
    "add": "adds",
    "unset": "unsets",
    "open": "opens",
    "reject": "rejects",
    "as_of_actor": "actor_as_of",
    "stance": "stances",
}
#: How many entries a list in a body may have (changes, goals, pins).
MAX_ITEMS = 200
#: What each list of text in a body holds, as an error says it ("expected ...").
_LISTS = {
    "changes.set": 'a JSON list of "component=value" texts, such as ["key=value"]',
    "changes.add": 'a JSON list of "component=value" texts, such as ["key=value"]',
    "changes.unset": 'a JSON list of "component" or "component=value" texts, such as ["key", "key=value"]',
    "changes.open": 'a JSON list of "component" or "component=value,value" texts, such as ["key"]',
    "changes.reject": 'a JSON list of claim ids, such as ["claim_id"]',
    "changes.as_of_actor": 'a JSON list of "actor=date" texts, such as ["actor=2025-02-28"]',
    "changes.stance": 'a JSON list of "actor.issue=position" texts, such as ["actor.issue=position"]',
    "goals": 'a JSON list of verdict names or "verdict=value" texts, such as ["name", "name=value"]',
    "keep": 'a JSON list of component names, such as ["key"]',
}
#: The dates a what-if's ``as_of`` may be (those :func:`argmap.io.changes.parse_date` reads).
_AS_OF = "YYYY-MM-DD, YYYY-MM or YYYYMMDD"
#: A character YAML does not allow in a file (PyYAML's reader refuses it, as the YAML path does).
_NOT_IN_YAML = yaml.reader.Reader.NON_PRINTABLE


@dataclass(frozen=True)
class Loaded:
    """A proposal as a request gave it: validated, with its YAML text and its plain mapping."""

    proposal: Proposal
    yaml: str
    mapping: dict[str, Any]
    name: str


class Service:
    """The questions the page asks, on one knowledge base.

    Args:
        app: the knowledge base (grounded on first use; :meth:`warm` grounds it now).
        proposal_dirs: folders whose ``.yaml`` files the page may list and load
            (only those files, by the names :meth:`proposals` gives).
    """

    def __init__(self, app: Argmap, proposal_dirs: Sequence[str] = ()) -> None:
        self.app = app
        self.proposal_dirs = tuple(d for d in proposal_dirs if os.path.isdir(d))
        self._declared: dict[str, Any] = {}  # answers that depend on the knowledge base alone, made once

    def warm(self) -> None:
        """Ground every engine the page uses, so the first questions are as fast as the rest."""
        _ = self.app.engine, self.app.traced, self.app.repairer

    # ------------------------------------------------------------ what the knowledge base declares
    def vocabulary(self) -> dict[str, Any]:
        """The proposal vocabulary, the verdicts and the optional parts (``GET /api/vocabulary``)."""
        if "vocabulary" not in self._declared:
            self._declared["vocabulary"] = self._vocabulary()
        return self._declared["vocabulary"]  # type: ignore[no-any-return]

    def _vocabulary(self) -> dict[str, Any]:
        voc = self.app.vocabulary
        return {
            "components": [
                {
                    "key": c.key,
                    "arity": c.arity,
                    "doc": c.doc,
                    "values": [{"value": v, "doc": dict(c.value_docs).get(v, "")} for v in c.values],
                }
                for c in voc.components.values()
            ],
            "verdicts": [
                {
                    "name": s.name,
                    "kind": s.kind,
                    "label": s.label,
                    "doc": s.doc,
                    "values": list(s.values),
                    "good": list(s.good),
                    "gate": s.gate,
                    "words": {v: s.word(v) for v in s.values},
                    "headings": {e: s.heading(e) for e in s.effects},
                }
                for s in voc.registry
            ],
            "parts": sorted(voc.parts),
            "actors": list(voc.actors),
            "dates": [_day(d) for d in voc.snapshots],
            "sources": dict(voc.sources),
            "claims": len(voc.claims),
        }

    def claims(self) -> list[dict[str, Any]]:
        """Every claim (``GET /api/claims``): the shape of ``argmap claims --format json``."""
        if "claims" not in self._declared:
            self._declared["claims"] = [render_json.claim_json(c) for c in self.app.claim_list()]
        return self._declared["claims"]  # type: ignore[no-any-return]

    # ------------------------------------------------------------ proposal files
    def _files(self) -> dict[str, tuple[str, str | None]]:
        """Each proposal file of the folders by name: its path, and why it is not read (None: it is read).

        A file whose real path (symbolic links followed) is not inside its folder is listed but never read."""
        found: dict[str, tuple[str, str | None]] = {}
        for folder in self.proposal_dirs:
            inside = os.path.realpath(folder)
            for entry in proposal_names(folder):
                if not is_utf8_name(entry):  # not loadable, and not a name JSON can carry: check names it
                    continue
                path = os.path.join(folder, entry)
                real = os.path.realpath(path)
                if os.path.commonpath([inside, real]) != inside:
                    found.setdefault(entry, (path, "a link to a file outside the proposals folder: not read"))
                elif os.path.isfile(real):
                    found.setdefault(entry, (path, None))
        return found

    def proposals(self) -> list[dict[str, Any]]:
        """The proposal files the page may load (``GET /api/proposals``); a bad one carries its error."""
        out = []
        for name, (path, problem) in self._files().items():
            item: dict[str, Any] = {"name": name, "file": _shown(path)}
            if problem is not None:
                item["error"] = str(InputError(problem, path=_shown(path)))
                out.append(item)
                continue
            try:
                p = self.app.load(path)
                item.update(id=p.id, title=p.title)
            except InputError as exc:
                item["error"] = str(exc)
            out.append(item)
        return out

    def proposal_file(self, name: str) -> dict[str, Any]:
        """One listed proposal file (``GET /api/proposals/{name}``): its YAML text and its mapping.

        Raises:
            InputError: not a file listed here, or one that is not read (a link out of its folder)."""
        files = self._files()
        if name not in files:
            raise InputError(
                f"'{name}' is not a proposal file here",
                key="name",
                expected=one_of(files) if files else "a proposal file (none is served)",
                suggestion=closest(name, files),
            )
        path, problem = files[name]
        if problem is not None:
            raise InputError(problem, path=_shown(path))
        loaded = self._from_yaml(_read(path), _shown(path))
        return {"name": name, "file": _shown(path), "yaml": loaded.yaml, "proposal": loaded.mapping}

    # ------------------------------------------------------------ reading a proposal from a body
    def load(self, body: dict[str, Any]) -> Loaded:
        """The proposal a body gives as ``yaml`` (text) or ``proposal`` (a mapping), named by ``name``."""
        name = body.get("name", DEFAULT_NAME)
        if not isinstance(name, str) or not _NAME.match(name) or ".." in name.split("/"):
            raise InputError("not a file name", key="name", expected="letters, digits, '_', '.', '-' and '/', no '..'")
        has_yaml, has_mapping = "yaml" in body, "proposal" in body
        if has_yaml == has_mapping:
            raise InputError("give the proposal once", key="proposal", expected="either 'yaml' (text) or 'proposal'")
        if has_yaml:
            text = body["yaml"]
            if not isinstance(text, str):
                raise InputError("must be text", key="yaml", expected="the YAML text of a proposal")
            if len(text.encode("utf-8")) > MAX_BYTES:
                raise InputError(f"the YAML is larger than the limit of {MAX_BYTES} bytes", key="yaml")
            return self._from_yaml(text.removeprefix("\ufeff"), name)
        mapping = body["proposal"]
        if not isinstance(mapping, dict):
            raise InputError("must be a mapping of keys to values", key="proposal", expected="a JSON object")
        _check_json(mapping, "proposal", 1)
        return self._from_yaml(to_yaml(mapping), name)

    def _from_yaml(self, text: str, name: str) -> Loaded:
        root = load_yaml(name, text)
        proposal = proposal_from_node(root, self.app.vocabulary, path=name)
        return Loaded(proposal, text, _plain(root), name)

    # ------------------------------------------------------------ questions
    def check(self, body: dict[str, Any]) -> dict[str, Any]:
        """The verdicts of a proposal (``POST /api/check``); for an open proposal, which completions give
        which verdict (the judgement's :attr:`~argmap.model.verdicts.Verdict.completions`, as ``check`` shows)."""
        loaded = self.load(body)
        verdict = self.app.check(loaded.proposal)
        return {
            "verdict": self._verdict(verdict),
            "completions": self._completions(verdict),
            "completions_beyond": verdict.completions_beyond,
            "proposal": loaded.mapping,
            "yaml": loaded.yaml,
        }

    def _verdict(self, verdict: Verdict) -> dict[str, Any]:
        out = render_json.verdict_json(verdict, self.app.vocabulary)
        out["text"] = {o.name: o.text() for o in verdict.outcomes}
        return out

    def _completions(self, verdict: Verdict) -> list[dict[str, Any]]:
        """The completion groups of an open proposal (:func:`argmap.render.json.completions_json`: one clingo
        enumeration, made when it was judged), each with ``label`` (the verdict's) and ``text``, the words
        ``argmap check`` prints ("yes when exemptions includes taxis")."""
        from ..render.text import when_text

        voc = self.app.vocabulary
        out = render_json.completions_json(verdict.completions)
        for item, group in zip(out, verdict.completions, strict=True):
            spec = voc.registry[group.verdict]
            item["label"] = spec.label
            item["text"] = f"{spec.word(group.value)} when {when_text(group.when, voc)}"
        return out

    def whatif(self, body: dict[str, Any]) -> dict[str, Any]:
        """Verdicts before and after changes (``POST /api/whatif``): the shape of ``argmap whatif --format json``."""
        loaded = self.load(body)
        changes = body.get("changes", {})
        if not isinstance(changes, dict):
            raise InputError("must be a mapping", key="changes", expected='a JSON object such as {"set": ["k=v"]}')
        options: dict[str, Any] = {}
        for key, value in changes.items():
            if key == "as_of":
                if value in (None, ""):
                    continue
                if not isinstance(value, str):
                    raise InputError("must be a date", key="changes.as_of", expected=_AS_OF)
                options["as_of"] = value
                continue
            if key not in CHANGE_KEYS:
                raise InputError(
                    "unknown kind of change",
                    key=f"changes.{key}",
                    expected=one_of([*CHANGE_KEYS, "as_of"]),
                    suggestion=closest(key, [*CHANGE_KEYS, "as_of"]),
                )
            options[CHANGE_KEYS[key]] = tuple(_strings(value, f"changes.{key}"))
        result = self.app.whatif(loaded.proposal, self.app.changes(**options))
        out = render_json.whatif_json(result, self.app.vocabulary)
        out["before"]["text"] = {o.name: o.text() for o in result.before.outcomes}
        out["after"]["text"] = {o.name: o.text() for o in result.after.outcomes}
        out["described"] = [str(c) for c in result.changes]
        return out

    def repair(self, body: dict[str, Any]) -> dict[str, Any]:
        """The smallest changes that reach the goals (``POST /api/repair``): ``argmap repair --format json``,
        with each repair's proposal mapping, ready to load."""
        loaded = self.load(body)
        # a goal or pin given twice is asked once (the first place it is given)
        goals = list(dict.fromkeys(_strings(body.get("goals", []), "goals")))
        keep = list(dict.fromkeys(_strings(body.get("keep", []), "keep")))
        max_changes = body.get("max_changes")
        if max_changes is not None and (isinstance(max_changes, bool) or not isinstance(max_changes, int)):
            raise InputError("must be a whole number", key="max_changes", expected="0 to 40")
        result = self.app.repair(loaded.proposal, goals=goals, keep=keep, max_changes=max_changes)
        out = render_json.repair_json(result, self.app.vocabulary)
        for item, fix in zip(out["repairs"], result.repairs, strict=True):
            item["described"] = fix.described()
            item["proposal"] = _repaired(loaded.mapping, loaded.proposal, fix.changes, self.app)
            if item["after"] is not None:
                item["after"]["text"] = {o.name: o.text() for o in fix.after.outcomes} if fix.after else {}
        return out

    def map(self, body: dict[str, Any]) -> dict[str, Any]:
        """The proposal's marked argument map (``POST /api/map``), focused on one verdict (``focus``)."""
        loaded = self.load(body)
        focus = body.get("focus")
        registry = self.app.registry
        if focus is not None and (not isinstance(focus, str) or focus not in registry):
            raise InputError(
                f"'{focus}' is not a verdict",
                key="focus",
                expected=one_of(registry.names),
                suggestion=closest(str(focus), registry.names),
            )
        return map_json(self.app.map(loaded.proposal, focus=(focus,) if focus else ()), focus)

    def report(self, body: dict[str, Any]) -> tuple[str, str]:
        """The self-contained HTML report of ``argmap report`` on the proposal (``POST /api/report``), and
        the proposal's id (which the download is named after)."""
        from ..render.html import report_html

        loaded = self.load(body)
        return report_html(self.app.report([loaded.proposal])), loaded.proposal.id


def map_json(m: ArgumentMap, focus: str | None) -> dict[str, Any]:
    """Nodes and edges of a map, already narrowed to `focus` as ``argmap map --focus`` narrows it
    (:func:`argmap.analysis.argument_map.narrow`: one place decides what bears on a verdict)."""
    nodes = list(m.nodes)
    edges = list(m.edges)
    return {
        "focus": focus,
        "groups": [{"id": g, "title": t} for g, t in m.drawn if any(n.group == g for n in nodes)],
        "nodes": [
            {
                "id": n.id,
                "kind": n.kind,
                "group": n.group,
                "label": n.label,
                "atom": n.atom,
                "rules": list(n.rules),
                "claim": n.claim,
                "quote": n.quote,
                "holds": n.holds,
                "defeated": n.defeated,
            }
            for n in nodes
        ],
        "edges": [
            {"source": e.source, "target": e.target, "kind": e.kind, "rules": list(e.rules), "fired": e.fired}
            for e in edges
        ],
    }


def to_yaml(mapping: dict[str, Any]) -> str:
    """A proposal mapping as YAML that ``argmap check`` reads back to the same mapping."""
    data = dict(mapping)
    date = data.get("date")
    if isinstance(date, str) and _DAY.match(date):
        try:
            data["date"] = datetime.date.fromisoformat(date)
        except ValueError:
            pass  # left as text: the proposal reader says it is not a date
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Mappings as blocks; a list of plain values on one line (``exemptions: [taxis, vans]``).

    libyaml's emitter when PyYAML has it (the same text as the pure-Python one, several times faster)."""


def _list(dumper: yaml.representer.SafeRepresenter, items: list[Any]) -> yaml.Node:
    flat = all(not isinstance(i, (dict, list)) for i in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flat)


_Dumper.add_representer(list, _list)


def _check_json(value: Any, where: str, depth: int) -> None:
    """A mapping from JSON holds only what a proposal file can: text, numbers, booleans, lists, mappings;
    and its text (keys too) only the characters YAML allows, so that a mapping is refused where the same
    text in a file would be (``the character U+001B is not allowed in YAML``): written out as YAML, such a
    character would be escaped and read back without a word."""
    if depth > MAX_DEPTH:
        raise InputError(f"nested deeper than {MAX_DEPTH} levels", key=where)
    if isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, f"{where}.{key}")
            _check_json(item, f"{where}.{key}", depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value, 1):
            _check_json(item, f"{where}[{i}]", depth + 1)
    elif isinstance(value, str):
        _check_text(value, where)
    elif value is not None and not isinstance(value, (int, float, bool)):
        raise InputError("not a JSON value", key=where)


def _check_text(text: str, where: str) -> None:
    found = _NOT_IN_YAML.search(text)
    if found:
        char = found.group()
        shown = where.encode("ascii", "backslashreplace").decode("ascii")  # the key may hold the character
        raise InputError(f"the character U+{ord(char):04X} is not allowed in YAML", key=shown)


def _strings(value: Any, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError("must be a list of text", key=key, expected=_LISTS[key])
    if len(value) > MAX_ITEMS:
        raise InputError(f"{len(value)} entries; at most {MAX_ITEMS}", key=key)
    return value


def _plain(root: Node) -> dict[str, Any]:
    """A proposal file's mapping as JSON data (dates as YYYY-MM-DD)."""

    def convert(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, (datetime.date, datetime.datetime)):
            return value.isoformat()
        return value

    return convert(root.plain())  # type: ignore[no-any-return]


def _repaired(
    mapping: dict[str, Any], proposal: Proposal, changes: tuple[tuple[str, str, str], ...], app: Argmap
) -> dict[str, Any]:
    """The proposal mapping after a repair: its components changed, nothing left open, no phases."""
    components = app.vocabulary.components
    settings = set(proposal.settings)
    for op, k, v in changes:
        (settings.add if op == "add" else settings.discard)((k, v))

    def value(key: str) -> Any:
        comp = components[key]
        values = sorted(v for k, v in settings if k == key)
        if not values:
            return None
        if comp.arity == "flag":
            return values[0] == "true"
        return values[0] if comp.arity == "one" else values

    out: dict[str, Any] = {}
    for key, old in mapping.items():  # the file's order, with its components changed in place
        if key in ("open", "phases"):
            continue
        new = value(key) if key in components else old
        if new is not None:
            out[key] = new
    for key in components:
        if key not in out and value(key) is not None:
            out[key] = value(key)
    return out


def _shown(path: str) -> str:
    """A file as messages show it: relative to the current folder when inside it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _read(path: str) -> str:
    from ..io.yamltree import read_text

    return read_text(path)


def _day(value: int) -> str:
    text = f"{value:08d}"
    return f"{text[:4]}-{text[4:6]}-{text[6:]}" if text[6:] != "00" else f"{text[:4]}-{text[4:6]}"
