"""`argmap kb-path` and `argmap init`: where the shipped knowledge base lives, and a new one."""

from __future__ import annotations

import json
import os

import click

from .root import main, out


@main.command("kb-path")
@click.option("--root", is_flag=True, help="Print the folder that holds rules/ and facts/ instead of the entry file.")
def kb_path(root: bool) -> None:
    """Print the entry file of the knowledge base shipped with argmap (to layer rules on it, or copy it)."""
    from ..engine.kbspec import shipped_kb

    entry, folder = shipped_kb()
    out((folder if root else entry) + "\n")


@main.command("init")
@click.argument("folder", type=click.Path(file_okay=False))
def init(folder: str) -> None:
    """Scaffold a new knowledge base in FOLDER: a claim and its quote, a vocabulary, one verdict with
    a pro and a con rule, a proposal, a scenario file, a placeholder source text, the project config and
    the JSON Schemas.  The result passes `argmap lint --strict` and `argmap test` as created."""
    from ..api import Argmap
    from ..io import config
    from ..io.files import atomic_write
    from ..io.scaffold import scaffold

    written = scaffold(folder)
    app = Argmap(config=config.load(os.path.join(folder, "argmap.toml")))
    os.makedirs(os.path.join(folder, "schema"), exist_ok=True)
    for kind in ("proposal", "scenario"):
        path = os.path.join(folder, "schema", f"{kind}.schema.json")
        atomic_write(path, json.dumps(app.schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n")
        written.append(path)
    for path in sorted(written):
        out(f"created {path}\n")
    out(
        f"\nNext: cd {folder} && argmap lint --strict && argmap test && argmap check\n"
        "Then replace sources/source.txt with your text and encode its claims (see docs/knowledge-base.md).\n"
    )
