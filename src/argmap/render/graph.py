"""Writing an argument map (:class:`~argmap.model.argument_map.ArgumentMap`) as DOT, SVG,
Mermaid, Argdown, AIF or GraphML.

Every format is text built here from the map's nodes, edges and groups, in
their order, so the same map gives the same bytes; the groups and their titles
come with the map (from the knowledge base's verdicts).  SVG is DOT laid out by
Graphviz's ``dot`` program, run as a subprocess; the other formats need
nothing installed.

Marks on a proposal's map, in the words of :data:`STATUS_WORDS` in every
format and legend: a node holds (in every completion, or in some), does not
hold for the proposal, or is outweighed (it does not hold because something
that attacks it held: a reason against it, a higher level, an exception); an
edge fired (a support a firing used, an attack that outweighed its target) or
not.  A narrowed map (``--focus``, ``--depth``, ``--fired-only``) says so in
its title.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import textwrap
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from ..model.argument_map import ArgumentMap, MapEdge, MapNode
from ..model.errors import InputError
from ..model.verdicts import ALL, SOME
from .text import clean

FORMATS = ("dot", "svg", "mermaid", "argdown", "aif", "graphml")
#: File suffixes for each format (for the CLI's help and for tests).
SUFFIXES = {
    "dot": ".dot",
    "svg": ".svg",
    "mermaid": ".mmd",
    "argdown": ".argdown",
    "aif": ".json",
    "graphml": ".graphml",
}
INSTALL_DOT = (
    "`--format svg` needs Graphviz's `dot` program, which is not on the PATH; install Graphviz "
    "(Debian/Ubuntu: `apt-get install graphviz`; Fedora: `dnf install graphviz`; macOS: `brew install graphviz`) "
    "or use a text format: dot, mermaid, argdown, aif, graphml"
)


def render(m: ArgumentMap, fmt: str) -> str:
    """The map in format `fmt` (one of :data:`FORMATS`)."""
    writers = {
        "dot": to_dot,
        "svg": to_svg,
        "mermaid": to_mermaid,
        "argdown": to_argdown,
        "aif": to_aif,
        "graphml": to_graphml,
    }
    if fmt not in writers:
        raise InputError(f"unknown map format '{fmt}'", expected=", ".join(FORMATS))
    return writers[fmt](m)


def title(m: ArgumentMap) -> str:
    """The map's heading: the knowledge base's map, or one proposal's; then how it was narrowed."""
    if m.proposal is None:
        heading = "Argument map of the knowledge base"
    else:
        heading = f"Argument map for {_one_line(m.proposal.title)} [{_one_line(m.proposal.id)}]"
    return heading + (f" ({'; '.join(m.view)})" if m.view else "")


def status(n: MapNode) -> str | None:
    """holds | some | outweighed | out, or None on the static map."""
    if n.holds is None:
        return None
    if n.holds == ALL:
        return "holds"
    if n.holds == SOME:
        return "some"
    return "outweighed" if n.defeated else "out"


#: What each status means, for tooltips and legends (one wording in every format).
STATUS_WORDS = {
    "holds": "holds for this proposal",
    "some": "holds in some completions",
    "outweighed": "outweighed: does not hold for this proposal because what attacks it held",
    "out": "does not hold for this proposal",
}
#: The line added under a node's words for the statuses that are not told by colour alone.
STATUS_TAGS = {"some": "holds in some completions", "outweighed": "outweighed"}


def legend(m: ArgumentMap) -> str:
    """What the colours and arrows of a drawn map mean (DOT, SVG and the report's figure)."""
    if m.proposal is None:
        return (
            "green arrows: support (a premise of the rule); red arrows ending in a bar: attack (a defeater, "
            "negated in the rule); every edge comes from a rule of the knowledge base"
        )
    return (
        "green: holds · amber: holds in some completions · red: outweighed (does not hold for this proposal "
        "because what attacks it held) · grey: does not hold for this proposal; green arrows support, "
        "red arrows ending in a bar attack; thick arrows fired"
    )


def _one_line(text: str) -> str:
    """`text` on one line, control and format characters shown as escapes (``\\x01``): every format can
    carry it, and none of it acts on a reader (a terminal, an XML parser, Graphviz)."""
    return " ".join(clean(text).split())


def visible(text: str) -> str:
    """`text` with its line breaks kept and every other control or format character shown as an escape."""
    return "\n".join(clean(line) for line in text.replace("\r\n", "\n").split("\n"))


def _wrap(text: str, width: int = 34) -> list[str]:
    return textwrap.wrap(_one_line(text), width=width, break_on_hyphens=False) or [""]


# ------------------------------------------------------------------ DOT
_FILL = {"claim": "#fff8dc", "verdict": "#dbe9f6", "reason": "#ffffff"}
_STATUS_STYLE = {
    "holds": {"fillcolor": "#c8e6c9", "color": "#2e7d32", "penwidth": "2", "fontcolor": "#1b3d1d"},
    "some": {"fillcolor": "#fff1b8", "color": "#b08900", "penwidth": "2", "fontcolor": "#4d3c00"},
    "outweighed": {"fillcolor": "#ffcdd2", "color": "#c62828", "penwidth": "2", "fontcolor": "#7f0000"},
    "out": {"fillcolor": "#f4f4f4", "color": "#c4c4c4", "penwidth": "1", "fontcolor": "#8a8a8a"},
}
_EDGE_COLOR = {"support": "#2e7d32", "attack": "#c62828"}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def _dot_string(text: str) -> str:
    """A DOT double-quoted string; `text` may hold newlines (as line breaks)."""
    # Graphviz reads &...; as an entity (&#65; would show as A): & is written as &amp;
    out = visible(text).replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    out = out.replace("\n", "\\n")
    return f'"{out}"'


def _dot_id(name: str) -> str:
    """A DOT identifier: bare when it is one, else quoted."""
    return name if _IDENTIFIER.fullmatch(name) else _dot_string(name)


def _attrs(pairs: dict[str, str]) -> str:
    return "[" + ", ".join(f"{k}={_dot_string(v)}" for k, v in pairs.items()) + "]"


def _dot_label(n: MapNode) -> str:
    lines = _wrap(n.label, 38 if n.kind == "verdict" else 34)
    if n.kind == "claim":
        lines.append(f"[{n.atom}]")
    st = status(n)
    if st in STATUS_TAGS:
        lines.append(f"({STATUS_TAGS[st]})")
    return "\n".join(lines)


def _tooltip(n: MapNode) -> str:
    if n.kind == "claim":
        return f"[{n.atom}] “{_one_line(n.quote or n.label)}”"
    where = ", ".join(n.rules)
    extra = f" — {STATUS_WORDS[status(n) or 'holds']}" if n.holds is not None else ""
    return f"{n.atom}  ({where}){extra}"


def to_dot(m: ArgumentMap, *, columns: bool = True) -> str:
    """The map as a Graphviz digraph; with `columns`, claims are pinned to the first column and
    verdicts to the last."""
    lines = [
        "digraph argmap {",
        "  graph "
        + _attrs(
            {
                "rankdir": "LR",
                "newrank": "true",
                "nodesep": "0.12",
                "ranksep": "0.9",
                "fontname": "Helvetica",
                "fontsize": "14",
                "labelloc": "t",
                "labeljust": "l",
                "label": title(m) + "\n" + legend(m),
                "tooltip": title(m),
            }
        )
        + ";",
        "  node "
        + _attrs(
            {
                "shape": "box",
                "style": "rounded,filled",
                "fontname": "Helvetica",
                "fontsize": "9",
                "color": "#666666",
                "margin": "0.08,0.04",
            }
        )
        + ";",
        "  edge " + _attrs({"arrowsize": "0.6", "penwidth": "1"}) + ";",
    ]
    for group, heading in m.drawn:
        lines.append(f"  subgraph {_dot_id('cluster_' + group)} {{")
        lines.append(
            "    graph "
            + _attrs(
                {
                    "label": heading,
                    "style": "rounded,filled",
                    "fillcolor": "#fafafa",
                    "color": "#d0d0d0",
                    "fontsize": "12",
                    "tooltip": heading,
                }
            )
            + ";"
        )
        for n in m.nodes:
            if n.group != group:
                continue
            attrs = {"label": _dot_label(n), "tooltip": _tooltip(n), "fillcolor": _FILL[n.kind]}
            if n.kind == "verdict":
                attrs.update({"fontsize": "11", "penwidth": "1.6", "color": "#1f4e79"})
            st = status(n)
            if st is not None:
                attrs.update(_STATUS_STYLE[st])
            lines.append(f"    {_dot_string(n.id)} {_attrs(attrs)};")
        lines.append("  }")
    # Claims in the first column, verdicts in the last: the map reads left to right.
    for rank, kind in (("min", "claim"), ("max", "verdict")) if columns else ():
        members = " ".join(f"{_dot_string(n.id)};" for n in m.nodes if n.kind == kind)
        if members:
            lines.append(f"  {{ rank={rank}; {members} }}")
    for e in m.edges:
        attrs = {"color": _EDGE_COLOR[e.kind], "tooltip": _edge_tooltip(e)}
        if e.kind == "attack":
            attrs.update({"arrowhead": "tee", "style": "dashed"})
        if e.fired is True:
            attrs["penwidth"] = "2.4"
        elif e.fired is False:
            attrs.update({"color": "#cfcfcf"})
        lines.append(f"  {_dot_string(e.source)} -> {_dot_string(e.target)} {_attrs(attrs)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _edge_tooltip(e: MapEdge) -> str:
    verb = "supports" if e.kind == "support" else "attacks"
    fired = "" if e.fired is None else (" (fired)" if e.fired else " (did not fire)")
    return f"{e.source} {verb} {e.target}{fired}; rule {', '.join(e.rules)}"


# ------------------------------------------------------------------ SVG
def dot_program() -> str | None:
    """The path of Graphviz's `dot`, or None when it is not installed."""
    return shutil.which("dot")


def to_svg(m: ArgumentMap) -> str:
    """The map laid out by Graphviz (`dot -Tsvg`); InputError when `dot` is missing or fails.

    Graphviz (2.43 at least) sometimes cannot route the edges of a map whose claims and
    verdicts are pinned to the first and last columns ("triangulation failed"); the map is
    then laid out without the pins, and failing that, with straight edges.
    """
    if dot_program() is None:
        raise InputError(INSTALL_DOT)
    failure: InputError | None = None
    for columns, options in ((True, ()), (False, ()), (False, ("-Gsplines=line",))):
        try:
            return dot_to_svg(to_dot(m, columns=columns), options)
        except InputError as exc:
            failure = failure or exc
    assert failure is not None
    raise failure


def dot_to_svg(dot: str, options: tuple[str, ...] = ()) -> str:
    """DOT text laid out by Graphviz's `dot` (with extra command-line `options`) as SVG."""
    program = dot_program()
    if program is None:
        raise InputError(INSTALL_DOT)
    try:
        done = subprocess.run(
            [program, "-Tsvg", *options],
            input=dot.encode("utf-8"),
            capture_output=True,
            timeout=120,
            check=False,
            env={**os.environ, "SOURCE_DATE_EPOCH": "0"},
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"Graphviz's dot failed: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"Graphviz's dot failed: {message[0] if message else 'exit ' + str(done.returncode)}")
    return done.stdout.decode("utf-8")


# ------------------------------------------------------------------ Mermaid
def _mermaid_text(text: str) -> str:
    out = _one_line(text)
    for raw, code in (("#", "#35;"), ("&", "#38;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        out = out.replace(raw, code)
    return out


def _mermaid_label(n: MapNode) -> str:
    lines = [_mermaid_text(line) for line in _wrap(n.label, 40)]
    if n.kind == "claim":
        lines.append(_mermaid_text(f"[{n.atom}]"))
    st = status(n)
    if st in STATUS_TAGS:
        lines.append(f"({STATUS_TAGS[st]})")
    return "<br>".join(lines)


_MERMAID_SHAPE = {"claim": ('(["', '"])'), "verdict": ('{{"', '"}}'), "reason": ('["', '"]')}
_MERMAID_CLASSES = {
    "claim": "fill:#fff8dc,stroke:#b8a000,color:#222",
    "verdict": "fill:#dbe9f6,stroke:#1f4e79,stroke-width:2px,color:#222",
    "reason": "fill:#ffffff,stroke:#666,color:#222",
    "holds": "fill:#c8e6c9,stroke:#2e7d32,stroke-width:2px,color:#1b3d1d",
    "some": "fill:#fff1b8,stroke:#b08900,stroke-width:2px,color:#4d3c00",
    "outweighed": "fill:#ffcdd2,stroke:#c62828,stroke-width:2px,color:#7f0000",
    "out": "fill:#f4f4f4,stroke:#c4c4c4,color:#8a8a8a",
}


def to_mermaid(m: ArgumentMap) -> str:
    lines = [
        f"%% {_one_line(title(m))}",
        "%% Written by argmap from the rules: --> supports, --x attacks.",
        *([f"%% {legend(m)}"] if m.proposal is not None else []),
        "flowchart LR",
    ]
    for group, heading in m.drawn:
        lines.append(f'  subgraph group_{_UNSAFE.sub("_", group)}["{_mermaid_text(heading)}"]')
        for n in m.nodes:
            if n.group == group:
                left, right = _MERMAID_SHAPE[n.kind]
                lines.append(f"    {n.id}{left}{_mermaid_label(n)}{right}")
        lines.append("  end")
    for e in m.edges:
        arrow = "-->" if e.kind == "support" else "--x"
        lines.append(f"  {e.source} {arrow} {e.target}")
    for name, style in _MERMAID_CLASSES.items():
        lines.append(f"  classDef {name} {style}")
    classes: dict[str, list[str]] = {}
    for n in m.nodes:
        classes.setdefault(status(n) or n.kind, []).append(n.id)
    for name in _MERMAID_CLASSES:
        if name in classes:
            lines.append(f"  class {','.join(classes[name])} {name}")
    for kind, color in _EDGE_COLOR.items():
        strong = [str(i) for i, e in enumerate(m.edges) if e.kind == kind and e.fired is not False]
        faint = [str(i) for i, e in enumerate(m.edges) if e.kind == kind and e.fired is False]
        width = "3px" if m.proposal is not None else "1.5px"
        if strong:
            lines.append(f"  linkStyle {','.join(strong)} stroke:{color},stroke-width:{width}")
        if faint:
            lines.append(f"  linkStyle {','.join(faint)} stroke:#cfcfcf,stroke-width:1px")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ Argdown
#: Characters with a meaning in Argdown text (mentions, tags, emphasis, data, comments).
_ARGDOWN_SPECIAL = set("\\@#*_[]<>{}/")


def argdown_text(text: str) -> str:
    """Text that Argdown reads as plain text: its special characters escaped with a backslash."""
    out: list[str] = []
    flat = _one_line(text)
    for i, ch in enumerate(flat):
        nxt = flat[i + 1] if i + 1 < len(flat) else " "
        if ch in _ARGDOWN_SPECIAL or (ch in ".:" and not nxt.isspace()):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _argdown_data(pairs: dict[str, str]) -> str:
    """A YAML flow mapping of JSON strings (valid YAML), with braces escaped for Argdown's lexer."""
    body = ", ".join(f"{k}: {json.dumps(v, ensure_ascii=True)}" for k, v in pairs.items())
    return "{" + body.replace("}", "\\u007d").replace("{", "\\u007b") + "}"


def _argdown_ref(n: MapNode) -> str:
    return f"<{n.id}>" if n.kind == "reason" else f"[{n.id}]"


_ARGDOWN_TAGS = {
    "holds": "#holds",
    "some": "#(holds in some completions)",
    "outweighed": "#outweighed",
    "out": "#(does not hold)",
}


def to_argdown(m: ArgumentMap) -> str:
    """Claims and verdicts as statements, reason-carrying conclusions as arguments.

    Each element is defined once, under a heading per group; its incoming
    relations follow it, indented: ``+ [S]`` (S supports it), ``- <A>`` (A
    attacks it).  On a proposal's map a tag gives each element's status.
    """
    by_id = {n.id: n for n in m.nodes}
    incoming: dict[str, list[MapEdge]] = {}
    for e in m.edges:
        incoming.setdefault(e.target, []).append(e)
    lines = [
        f"// {_one_line(title(m))}",
        "// Written by argmap from the rules of the knowledge base: statements are claims and",
        "// verdicts, arguments are the conclusions that carry a reason; + supports, - attacks.",
        *(
            ["// " + "; ".join(f"{tag}: {STATUS_WORDS[st]}" for st, tag in _ARGDOWN_TAGS.items())]
            if m.proposal is not None
            else []
        ),
        "",
    ]
    for group, heading in m.drawn:
        lines += [f"# {argdown_text(heading)}", ""]
        for n in m.nodes:
            if n.group != group:
                continue
            data = {"atom": n.atom}
            if n.quote:
                data["quote"] = n.quote
            if n.rules:
                data["rules"] = ", ".join(n.rules)
            text = argdown_text(n.label)
            st = status(n)
            tag = f" {_ARGDOWN_TAGS[st]}" if st else ""
            lines.append(f"{_argdown_ref(n)}: {text}{tag} {_argdown_data(data)}")
            for e in incoming.get(n.id, []):
                lines.append(f"  {'+' if e.kind == 'support' else '-'} {_argdown_ref(by_id[e.source])}")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# ------------------------------------------------------------------ AIF
def aif(m: ArgumentMap) -> dict[str, object]:
    """The map in the Argument Interchange Format (AIFdb's JSON).

    Claims and conclusions are I-nodes.  The supports of one conclusion meet
    in one RA-node (the rule's inference: premises -> RA -> conclusion); each
    attack is a CA-node (defeater -> CA -> conclusion).
    """
    nodes: list[dict[str, object]] = []
    edges: list[dict[str, object]] = []
    for n in m.nodes:
        node: dict[str, object] = {"nodeID": n.id, "text": _one_line(n.label), "type": "I"}
        node["kind"] = n.kind
        if n.quote:
            node["quote"] = visible(n.quote)
        if n.rules:
            node["rules"] = list(n.rules)
        st = status(n)
        if st is not None:
            node["status"] = st
        nodes.append(node)

    def edge(a: str, b: str) -> None:
        edges.append({"edgeID": f"e{len(edges) + 1}", "fromID": a, "toID": b})

    supports: dict[str, list[MapEdge]] = {}
    for e in m.edges:
        if e.kind == "support":
            supports.setdefault(e.target, []).append(e)
    for target, items in supports.items():
        ra = f"ra_{target}"
        rules = sorted({r for e in items for r in e.rules})
        node = {"nodeID": ra, "text": "Default Inference", "type": "RA", "rules": rules}
        if m.proposal is not None:
            node["fired"] = any(e.fired for e in items)
        nodes.append(node)
        for e in items:
            edge(e.source, ra)
        edge(ra, target)
    for e in m.edges:
        if e.kind != "attack":
            continue
        ca = f"ca_{e.source}__{e.target}"
        node = {"nodeID": ca, "text": "Default Conflict", "type": "CA", "rules": list(e.rules)}
        if e.fired is not None:
            node["fired"] = e.fired
        nodes.append(node)
        edge(e.source, ca)
        edge(ca, e.target)
    return {"nodes": nodes, "edges": edges, "locutions": []}


def to_aif(m: ArgumentMap) -> str:
    return json.dumps(aif(m), ensure_ascii=False, indent=2) + "\n"


# ------------------------------------------------------------------ GraphML
_GRAPHML_KEYS = (
    ("label", "node", "label", "string"),
    ("kind", "node", "kind", "string"),
    ("group", "node", "group", "string"),
    ("atom", "node", "atom", "string"),
    ("quote", "node", "quote", "string"),
    ("rules", "all", "rules", "string"),
    ("holds", "node", "holds", "string"),
    ("outweighed", "node", "outweighed", "boolean"),
    ("relation", "edge", "relation", "string"),
    ("fired", "edge", "fired", "boolean"),
)


def to_graphml(m: ArgumentMap) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ]
    for key, domain, name, kind in _GRAPHML_KEYS:
        out.append(f'  <key id="{key}" for="{domain}" attr.name="{name}" attr.type="{kind}"/>')
    out.append('  <graph id="argmap" edgedefault="directed">')
    out.append(f"    <desc>{xml_escape(_one_line(title(m)))}</desc>")

    def data(key: str, value: str | None) -> str:
        return "" if value is None else f'<data key="{key}">{xml_escape(visible(value))}</data>'

    for n in m.nodes:
        fields = [
            data("label", _one_line(n.label)),
            data("kind", n.kind),
            data("group", n.group),
            data("atom", n.atom),
            data("quote", n.quote),
            data("rules", ", ".join(n.rules) or None),
            data("holds", n.holds),
            data("outweighed", None if n.holds is None else str(n.defeated).lower()),
        ]
        out.append(f"    <node id={quoteattr(n.id)}>{''.join(fields)}</node>")
    for i, e in enumerate(m.edges):
        fields = [
            data("relation", e.kind),
            data("rules", ", ".join(e.rules)),
            data("fired", None if e.fired is None else str(e.fired).lower()),
        ]
        out.append(
            f'    <edge id="e{i}" source={quoteattr(e.source)} target={quoteattr(e.target)}>{"".join(fields)}</edge>'
        )
    out += ["  </graph>", "</graphml>"]
    return "\n".join(out) + "\n"
