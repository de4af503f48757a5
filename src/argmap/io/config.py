"""The project config: which knowledge base, layers, sources and folders a project uses.

argmap looks, from the current folder upwards, for ``argmap.toml`` (keys at the
top level) or a ``pyproject.toml`` with a ``[tool.argmap]`` table, and stops at
the first it finds::

    kb = "rules/main.lp"            # or a list of entry files
    layers = ["local.lp"]           # rules added on top
    proposals = ["proposals"]       # what `argmap check` and `report` take by default
    scenarios = ["scenarios"]       # what `argmap test` takes by default
    spaces = ["spaces"]
    [sources]                       # [tool.argmap.sources] in pyproject.toml
    op_ed = "sources/op-ed.txt"     # a source id, for claims that name it

Paths are relative to the config file's folder.  Command-line options win:
``--kb`` replaces ``kb``, ``--layer`` adds to ``layers``.  (TOML is read with
the standard library's ``tomllib``.)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..model.errors import InputError, closest, one_of

KEYS = ("kb", "layers", "proposals", "scenarios", "spaces", "sources")


@dataclass(frozen=True)
class Config:
    """A project's settings, paths made absolute (or empty when there is no config)."""

    path: str | None = None
    kb: tuple[str, ...] = ()
    layers: tuple[str, ...] = ()
    proposals: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()
    spaces: tuple[str, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def folder(self) -> str | None:
        return os.path.dirname(self.path) if self.path else None


def find(start: str | None = None) -> Config:
    """The config that governs `start` (default: the current folder), or an empty one."""
    folder = os.path.abspath(start or os.getcwd())
    while True:
        plain = os.path.join(folder, "argmap.toml")
        if os.path.isfile(plain):
            return load(plain)
        project = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(project):
            found = _table(project)
            if found is not None:
                return _config(project, found)
        parent = os.path.dirname(folder)
        if parent == folder:
            return Config()
        folder = parent


def load(path: str) -> Config:
    """Read one config file (argmap.toml, or a pyproject.toml's [tool.argmap])."""
    if os.path.basename(path) == "pyproject.toml":
        table = _table(path)
        return _config(path, table or {})
    return _config(path, _read(path))


def _read(path: str) -> dict[str, object]:
    import tomllib

    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise InputError(f"cannot read the config: {exc.strerror}", path=path) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid TOML: {exc}", path=path) from None


def _table(path: str) -> dict[str, object] | None:
    data = _read(path)
    tool = data.get("tool")
    if not isinstance(tool, dict) or "argmap" not in tool:
        return None
    table = tool["argmap"]
    if not isinstance(table, dict):
        raise InputError("[tool.argmap] must be a table", path=path, key="tool.argmap")
    return table


def _config(path: str, table: dict[str, object]) -> Config:
    folder = os.path.dirname(os.path.abspath(path))
    prefix = "tool.argmap." if os.path.basename(path) == "pyproject.toml" else ""
    for key in table:
        if key not in KEYS:
            raise InputError(
                "unknown key", path=path, key=prefix + key, expected=one_of(KEYS), suggestion=closest(key, KEYS)
            )

    def paths(key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise InputError("must be a path or a list of paths", path=path, key=prefix + key)
        return tuple(os.path.normpath(os.path.join(folder, v)) for v in value)

    sources = table.get("sources", {})
    if not isinstance(sources, dict) or not all(isinstance(v, str) for v in sources.values()):
        raise InputError("must be a table of source id = path", path=path, key=prefix + "sources")
    return Config(
        path=os.path.abspath(path),
        kb=paths("kb"),
        layers=paths("layers"),
        proposals=paths("proposals"),
        scenarios=paths("scenarios"),
        spaces=paths("spaces"),
        sources={k: os.path.normpath(os.path.join(folder, v)) for k, v in sorted(sources.items())},
    )
