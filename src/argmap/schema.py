"""JSON Schemas (draft 2020-12) for proposals and scenarios, generated from the vocabulary.

Nothing here is hard-coded to one article: the components, their values and
docs (``component/3``, ``value/2``), the claims, actors and stance positions
all come from the knowledge base, so another knowledge base gets its own
schemas.  Editors use them through a ``# yaml-language-server: $schema=``
comment; ``argmap lint`` checks that the example proposals carry one.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .engine import Vocabulary
from .proposal import IDENTIFIER, MAX_PHASES, MAX_YEARS, META_KEYS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("proposal", "scenario")

Schema = dict[str, Any]

_IDENTIFIER = {"type": "string", "pattern": IDENTIFIER.pattern}
_TEXT = {"type": "string", "pattern": r"\S"}
#: What an expected reason may name (see argmap.model.Reason and argmap.scenarios).
_REASON_VERDICTS = ("credible", "feasible_now", "precondition", "risk")
_REASON_EFFECTS = ("con", "high", "medium", "pro")
_NON_CLAIM_BASES = ("definition",)
_RISK_LEVELS = ("low", "medium", "high")
_DATE = {
    "type": "string",
    "pattern": r"^\d{4}-?\d{2}(-?\d{2})?$",
    "description": "a date, YYYY-MM-DD (or YYYY-MM, YYYYMMDD): stances are read as of the last record on or before it",
}


def generate(kind: str, voc: Vocabulary) -> Schema:
    """The schema named `kind` (proposal or scenario)."""
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
            "description": "components deliberately left open (strategic ambiguity): every completion is judged",
            "type": "array",
            "items": {"enum": keys},
            "uniqueItems": True,
        },
    }
    for key in keys:
        properties[key] = _component(voc, key)
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
                "timing": {
                    "description": "when the phase starts, relative to the ceasefire",
                    "anyOf": [
                        {"enum": ["before_ceasefire", "at_ceasefire", "after_ceasefire"]},
                        {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["after_ceasefire"],
                            "properties": {"after_ceasefire": {"type": "integer", "minimum": 0, "maximum": MAX_YEARS}},
                        },
                    ],
                },
                "set": {**settings, "description": "components this phase sets (replacing their values)"},
                "add": {**settings, "description": "values this phase adds to list components"},
                "remove": {
                    "description": "components (or key=value) this phase removes",
                    "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                },
            },
        },
    }


def _component(voc: Vocabulary, key: str) -> Schema:
    comp = voc.components[key]
    if comp.arity == "flag":
        return {"description": comp.doc, "type": "boolean"}
    values = {"enum": list(comp.values)}
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
    return {
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
        },
    }


def _expect(voc: Vocabulary) -> Schema:
    claim = {"enum": [*sorted(voc.claims), *_NON_CLAIM_BASES]}
    ids = {"type": "array", "items": _IDENTIFIER, "uniqueItems": True}
    models = voc.components["model"].values if "model" in voc.components else ()
    truncated = {"type": "array", "items": {"enum": list(models)}, "uniqueItems": True} if models else ids
    return {
        "description": "the verdicts expected; only those given are checked",
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "properties": {
            "consistent": {"type": "boolean", "description": "no two components contradict each other"},
            "credible": {"type": "boolean", "description": "the deterrent is credible"},
            "feasible_now": {"type": "boolean", "description": "no actor's current stance blocks it"},
            "meets_precondition": {"type": "boolean", "description": "it meets the source's precondition"},
            "risk": {
                "description": "the risk it leaves (a list: the levels an open proposal's completions reach)",
                "anyOf": [
                    {"enum": list(_RISK_LEVELS)},
                    {"type": "array", "items": {"enum": list(_RISK_LEVELS)}, "minItems": 1, "uniqueItems": True},
                ],
            },
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
                                "verdict": {"enum": list(_REASON_VERDICTS)},
                                "effect": {"enum": list(_REASON_EFFECTS)},
                            },
                        },
                    ]
                },
            },
            "conflicts": {**ids, "description": "ids of conflicts that must be among the actual ones"},
            "truncated": {**truncated, "description": "historical models the proposal must truncate"},
            "warnings": {**ids, "description": "ids of warnings that must be among the actual ones"},
        },
    }
