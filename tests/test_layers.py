"""The package's layers import one way: cli -> api -> {analysis, render} -> engine -> {asp, io} -> model.

Every import in src/argmap is read with Python's ``ast`` (those inside
functions too, since lazy imports are still dependencies) and checked against
the layer rules; a test that could fail: a renderer importing the engine, an
analysis importing a renderer, anything below cli/ importing click.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "argmap"

#: Each layer, and the layers it may import from (besides itself).
ALLOWED: dict[str, set[str]] = {
    "model": set(),
    "asp": {"model", "io"},  # io.files.read_regular: the one reader of user files (rule files too)
    "io": {"model"},
    "engine": {"asp", "io", "model"},
    "analysis": {"engine", "asp", "io", "model"},
    "render": {"model"},
    "api": {"analysis", "render", "engine", "asp", "io", "model", "af"},
    "cli": {"api", "analysis", "render", "engine", "asp", "io", "model", "af", "serve"},
    "serve": {"api", "render", "io", "model"},
    "plugin": {"api", "analysis", "render", "io", "model"},
    "af": {"model", "io"},
    "package": {"api", "engine", "model"},
}


def layer_of(module: str) -> str:
    """The layer of a module name such as argmap.engine.judge."""
    parts = module.split(".")
    if parts == ["argmap"]:
        return "package"
    second = parts[1]
    if second == "api":
        return "api"
    if second == "pytest_plugin":
        return "plugin"
    return second


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """Every module `path` imports, absolute, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
                if node.module is None:  # from .. import af: the modules named
                    out += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
                else:
                    out.append((node.lineno, target))
            else:
                out.append((node.lineno, node.module or ""))
    return out


def sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_the_rules_cover_every_layer() -> None:
    layers = {layer_of(module_name(p)) for p in sources()}
    assert layers <= set(ALLOWED), f"layers without rules: {layers - set(ALLOWED)}"
    assert {"model", "io", "asp", "engine", "analysis", "render", "api", "cli", "af"} <= layers


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(SRC)))
def test_imports_run_one_way(path: Path) -> None:
    mine = layer_of(module_name(path))
    wrong = []
    for line, target in imports(path):
        if target == "click" or target.startswith("click."):
            if mine != "cli":
                wrong.append(f"line {line}: imports click (only cli/ may)")
            continue
        if target != "argmap" and not target.startswith("argmap."):
            continue
        theirs = layer_of(target)
        if theirs != mine and theirs not in ALLOWED[mine]:
            wrong.append(f"line {line}: {mine} imports {target} ({theirs})")
    assert not wrong, f"{path.relative_to(SRC)}: " + "; ".join(wrong)


def test_the_checker_catches_a_wrong_import(tmp_path: Path) -> None:
    """The walk above sees relative imports inside functions (what a real violation looks like)."""
    bad = SRC / "render" / "_probe_for_test.py"
    try:
        bad.write_text("def f():\n    from ..engine import judge\n    return judge\n", encoding="utf-8")
        found = imports(bad)
        assert (2, "argmap.engine") in found
        assert layer_of("argmap.engine") not in ALLOWED["render"]
    finally:
        bad.unlink()
