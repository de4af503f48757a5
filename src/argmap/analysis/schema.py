"""JSON Schemas (draft 2020-12) for proposals and scenarios, generated from the vocabulary.

Nothing here is hard-coded to one source text: the components, their values
and docs (``component/3``, ``value/2``, ``value_doc/3``), the verdicts
(``verdict/3`` and its companions), the claims, actors, stance positions and
roadmap timings all come from the knowledge base, so another knowledge base
gets its own schemas.  Optional parts it lacks (stances, roadmaps) are left
out of the schema.  Editors use them through a ``# yaml-language-server: $schema=``
comment; ``argmap lint`` checks that the example proposals carry one.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..io.proposals import IDENTIFIER, MAX_PHASES, META_KEYS
from ..io.scenarios import HOLDS
from ..model.kb import Vocabulary

DRAFT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("proposal", "scenario")

Schema = dict[str, Any]

_IDENTIFIER = {"type": "string", "pattern": IDENTIFIER.pattern}
_TEXT = {"type": "string", "pattern": r"\S"}
_DATE = {
    "type": "string",
    "pattern": r"^\d{4}-?\d{2}(-?\d{2})?$",
    "description": "a date, YYYY-MM-DD (or YYYY-MM, YYYYMMDD): stances are read as of the last record on or before it",
}


def generate(kind: str, voc: Vocabulary) -> Schema:
    """The schema named `kind` (proposal or scenario), as a JSON-ready dict (JSON Schema draft 2020-12)."""
    return proposal_schema(voc) if kind == "proposal" else scenario_schema(voc)


def dumps(schema: Schema) -> str:
    """A schema as argmap writes it: two-space indent, sorted keys, UTF-8, newline at the end."""
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# ---------------------------------------------------------------------------- proposal
def proposal_schema(voc: Vocabulary) -> Schema:
    """A proposal file: title and source, optional notes, id and open, one property per component."""
    return {
        "$schema": DRAFT,
        "title": "argmap proposal",
        "description": "A policy proposal judged by `argmap check`. Only title and source are required; "
        "an absent component is not provided.",
        **_proposal_body(voc),
    }


def _proposal_body(voc: Vocabulary) -> Schema:
    keys = sorted(voc.components)
    properties: dict[str, Schema] = {
        "title": {**_TEXT, "description": META_KEYS["title"]},
        "source": {**_TEXT, "description": META_KEYS["source"]},
        "notes": {**_TEXT, "description": META_KEYS["notes"]},
        "id": {**_IDENTIFIER, "description": f"{META_KEYS['id']} (default: the file name without .yaml)"},
        "open": {
            "description": "components deliberately left open (strategic ambiguity): every completion is judged; "
            "a mapping narrows a component to some of its values",
            "anyOf": [
                {"type": "array", "items": {"enum": keys}, "uniqueItems": True},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {key: _open_values(voc, key) for key in keys},
                },
            ],
        },
    }
    if "stances" in voc.parts:
        properties["date"] = {
            "type": "string",
            "format": "date",
            "description": META_KEYS["date"],
        }
    for key in keys:
        properties[key] = _component(voc, key)
    if "roadmap" in voc.parts:
        properties["phases"] = _phases(voc)
    return {
        "type": "object",
        "required": ["source", "title"],
        "additionalProperties": False,
        "properties": properties,
    }


def _phases(voc: Vocabulary) -> Schema:
    """A roadmap: phases in time order, each changing the components before it."""
    keys = sorted(voc.components)
    settings = {
        "type": "object",
        "additionalProperties": False,
        "properties": {key: _component(voc, key) for key in keys},
    }
    return {
        "description": META_KEYS["phases"] + " (the headline verdicts are the final phase's)",
        "type": "array",
        "minItems": 1,
        "maxItems": MAX_PHASES,
        "items": {
            "type": "object",
            "required": ["name", "timing"],
            "additionalProperties": False,
            "properties": {
                "name": {**_TEXT, "description": "what this phase does"},
                "notes": {**_TEXT, "description": "free text"},
                "timing": _timing(voc),
                "set": {**settings, "description": "components this phase sets (replacing their values)"},
                "add": {**settings, "description": "values this phase adds to list components"},
                "remove": {
                    "description": "components (or key=value) this phase removes",
                    "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                },
            },
        },
    }


def _timing(voc: Vocabulary) -> Schema:
    """A phase's timing: a name, or a mapping of a counted timing to its number."""
    timings = sorted(voc.timings.values(), key=lambda t: t.rank)
    options: list[Schema] = [{"enum": [t.name for t in timings if not t.unit]}]
    for t in timings:
        if t.unit:
            options.append(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": [t.name],
                    "properties": {
                        t.name: {"type": "integer", "minimum": 0, "maximum": t.max_offset, "description": f"{t.unit}"}
                    },
                }
            )
    return {"description": "when the phase starts: " + ", then ".join(t.name for t in timings), "anyOf": options}


def _open_values(voc: Vocabulary, key: str) -> Schema:
    comp = voc.components[key]
    item: Schema = {"type": "boolean"} if comp.arity == "flag" else {"enum": list(comp.values)}
    return {
        "description": f"the values {key} may take (all: every value)",
        "anyOf": [{"const": "all"}, item, {"type": "array", "items": item, "minItems": 1, "uniqueItems": True}],
    }


def _component(voc: Vocabulary, key: str) -> Schema:
    comp = voc.components[key]
    if comp.arity == "flag":
        return {"description": comp.doc, "type": "boolean"}
    values: Schema = {"enum": list(comp.values)}
    docs = dict(comp.value_docs)
    if docs:
        values = {"anyOf": [{"const": v, **({"description": docs[v]} if v in docs else {})} for v in comp.values]}
    if comp.arity == "one":
        return {"description": comp.doc, **values}
    return {
        "description": comp.doc,
        "anyOf": [values, {"type": "array", "items": values, "minItems": 1, "uniqueItems": True}],
    }


# ---------------------------------------------------------------------------- scenario
def scenario_schema(voc: Vocabulary) -> Schema:
    """A scenario file: named cases, each a proposal, optional changes, and expected verdicts."""
    common: dict[str, Schema] = {
        "name": {**_TEXT, "description": "the case's name, unique in the file"},
        "description": {**_TEXT, "description": "what the case shows"},
        "tags": {
            "description": "words to select cases by",
            "type": "array",
            "items": {"type": "string", "pattern": r"^\S+$"},
            "uniqueItems": True,
        },
        "skip": {**_TEXT, "description": "skip the case, for this reason"},
        "changes": {"$ref": "#/$defs/changes"},
        "expect": {"$ref": "#/$defs/expect"},
    }
    scenario = {
        "description": "one case: a proposal, the changes made to it, and the verdicts expected",
        "type": "object",
        "required": ["name", "proposal"],
        "anyOf": [{"required": ["expect"]}, {"required": ["variations"]}],
        "additionalProperties": False,
        "properties": {
            **common,
            "proposal": {
                "description": "the proposal: a file path relative to this file, or the proposal itself",
                "anyOf": [
                    {**_TEXT, "description": "a proposal file, relative to this file"},
                    {"$ref": "#/$defs/proposal"},
                ],
            },
            "variations": {
                "description": "table-style cases on the case's proposal: the case's changes, then their own",
                "type": "array",
                "items": {"$ref": "#/$defs/variation"},
                "minItems": 1,
            },
        },
    }
    variation = {
        "description": "a variation of a case: its own changes (after the case's) and expectations",
        "type": "object",
        "required": ["expect", "name"],
        "additionalProperties": False,
        "properties": common,
    }
    return {
        "$schema": DRAFT,
        "title": "argmap scenarios",
        "description": "Scenario tests: proposals, the changes `argmap whatif` can make, and the verdicts expected.",
        "type": "object",
        "required": ["scenarios"],
        "additionalProperties": False,
        "properties": {
            "scenarios": {"description": "the cases", "type": "array", "items": {"$ref": "#/$defs/scenario"}},
        },
        "$defs": {
            "scenario": scenario,
            "variation": variation,
            "changes": _changes(voc),
            "expect": _expect(voc),
            "proposal": {"description": "an inline proposal (see proposal.schema.json)", **_proposal_body(voc)},
        },
    }


def _changes(voc: Vocabulary) -> Schema:
    keys = sorted(voc.components)
    many = [k for k in keys if voc.components[k].arity == "many"]

    def setting(key: str) -> Schema:
        comp = voc.components[key]
        values = {"enum": list(comp.values)}
        if comp.arity == "flag":
            return {"description": comp.doc, "anyOf": [{"type": "boolean"}, values]}
        if comp.arity == "one":
            return {"description": comp.doc, **values}
        return {
            "description": comp.doc,
            "anyOf": [values, {"type": "array", "items": values, "minItems": 1, "uniqueItems": True}],
        }

    actors = sorted(voc.actors)
    stance: dict[str, Schema] = {}
    if actors:
        who = "|".join(re.escape(a) for a in actors)
        for issue in sorted(voc.positions):
            stance[f"^({who})\\.{re.escape(issue)}$"] = {"enum": list(voc.positions[issue])}
    out: Schema = {
        "description": "what to change before judging: the options of `argmap whatif`",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "set": {
                "description": "set components, replacing their values (--set KEY=VALUE)",
                "type": "object",
                "additionalProperties": False,
                "properties": {k: setting(k) for k in keys},
            },
            "add": {
                "description": "add values to list components (--add KEY=VALUE)",
                "type": "object",
                "additionalProperties": False,
                "properties": {k: setting(k) for k in many},
            },
            "unset": {
                "description": "remove components, or one value as KEY=VALUE (--unset KEY[=VALUE])",
                "type": "array",
                "items": {"enum": keys + [f"{k}={v}" for k in keys for v in voc.components[k].values]},
                "uniqueItems": True,
            },
            "open": {
                "description": "leave components open (--open KEY)",
                "type": "array",
                "items": {"enum": keys},
                "uniqueItems": True,
            },
            "reject_claim": {
                "description": "reject claims; everything they ground is switched off (--reject-claim ID)",
                "type": "array",
                "items": {"enum": sorted(voc.claims)},
                "uniqueItems": True,
            },
        },
    }
    if "stances" in voc.parts:
        out["properties"].update(
            {
                "as_of": {**_DATE, "description": "read every actor's stance as of this date (--as-of DATE)"},
                "as_of_actor": {
                    "description": "read one actor's stances as of a date (--as-of-actor ACTOR=DATE)",
                    "type": "object",
                    "propertyNames": {"enum": actors},
                    "additionalProperties": _DATE,
                },
                "stance": {
                    "description": "give an actor a position on an issue (--stance ACTOR.ISSUE=POSITION)",
                    "type": "object",
                    "patternProperties": stance,
                    "additionalProperties": False,
                },
            }
        )
    return out


def _expect(voc: Vocabulary) -> Schema:
    bases = [*sorted(voc.claims), *sorted(b for b in voc.bases if b not in voc.claims)]
    claim = {"enum": bases}
    ids = {"type": "array", "items": _IDENTIFIER, "uniqueItems": True}
    properties: dict[str, Schema] = {}
    for spec in voc.registry:
        doc = spec.doc or spec.label
        if spec.kind == "bool":
            properties[spec.name] = {
                "description": f"{doc} (true or false at the worst completion; all, some or none: across completions)",
                "anyOf": [{"type": "boolean"}, {"enum": list(HOLDS)}],
            }
        elif spec.kind == "level":
            levels = {"enum": list(spec.values)}
            properties[spec.name] = {
                "description": f"{doc} (a list: the levels an open proposal's completions reach)",
                "anyOf": [levels, {"type": "array", "items": levels, "minItems": 1, "uniqueItems": True}],
            }
        else:
            members: Schema = {"enum": list(spec.values)} if spec.values else _IDENTIFIER
            properties[spec.name] = {
                "description": f"{doc} (exactly these members; [] for none)",
                "anyOf": [members, {"type": "array", "items": members, "uniqueItems": True}],
            }
    effects = sorted({e for spec in voc.registry for e in spec.effects})
    properties.update(
        {
            "reasons": {
                "description": "reasons that must be among the actual ones: a claim id, or a claim with the "
                "verdict it bears on and its effect",
                "type": "array",
                "items": {
                    "anyOf": [
                        claim,
                        {
                            "type": "object",
                            "required": ["claim"],
                            "additionalProperties": False,
                            "properties": {
                                "claim": claim,
                                "verdict": {"enum": list(voc.registry.names)},
                                "effect": {"enum": effects},
                            },
                        },
                    ]
                },
            },
            "conflicts": {**ids, "description": "ids of conflicts that must be among the actual ones"},
            "warnings": {**ids, "description": "ids of warnings that must be among the actual ones"},
            "notes": {**ids, "description": "ids of notes that must be among the actual ones"},
        }
    )
    properties["absent"] = {
        "description": "reasons, conflicts, warnings and notes that must NOT be among the actual ones",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "reasons": {
                **properties["reasons"],
                "description": "reasons that must not be among the actual ones: a claim id (no reason from "
                "it at all), or a claim with the verdict it bears on and its effect",
            },
            "conflicts": {**ids, "description": "ids of conflicts that must not be among the actual ones"},
            "warnings": {**ids, "description": "ids of warnings that must not be among the actual ones"},
            "notes": {**ids, "description": "ids of notes that must not be among the actual ones"},
        },
    }
    return {
        "description": "the verdicts expected; only those given are checked",
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "properties": properties,
    }
