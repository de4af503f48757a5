"""Which files make a knowledge base: the entry files, layers on top, and the shipped default.

A :class:`KnowledgeBase` names rule files; :mod:`argmap.asp.source` reads and
checks them.  ``--kb FILE`` replaces the knowledge base, ``--layer FILE`` adds
rules on top of it (the shipped one or the one given).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..asp.source import SourceFile, find_root, read_program
from ..model.errors import InputError

#: argmap's own ASP (the prelude and the engine's support programs), beside this package.
ENGINE_LP = Path(__file__).resolve().parent.parent / "lp"


def shipped_kb() -> tuple[str, str]:
    """The knowledge base shipped with argmap: (entry file, root folder), in the wheel or the source tree."""
    here = Path(__file__).resolve().parent.parent
    for root in (here / "kb", here.parent.parent):
        entry = root / "rules" / "main.lp"
        if entry.is_file():
            return str(entry), str(root)
    raise InputError("cannot find the shipped knowledge base; pass --kb FILE", expected="rules/main.lp")


@dataclass(frozen=True)
class KnowledgeBase:
    """Rule files that make one program.

    Attributes:
        files: the entry files (each may ``#include`` others inside its root).
        layers: files added on top, each with its own root.
        root: the folder that bounds the entry files' includes (None: found
            from the first file, see :func:`argmap.asp.source.find_root`).
    """

    files: tuple[str, ...]
    layers: tuple[str, ...] = ()
    root: str | None = None

    @classmethod
    def shipped(cls, layers: tuple[str, ...] = ()) -> KnowledgeBase:
        entry, root = shipped_kb()
        return cls((entry,), layers, root)

    @classmethod
    def from_options(cls, kb: tuple[str, ...] = (), layers: tuple[str, ...] = ()) -> KnowledgeBase:
        """``--kb`` files (default: the shipped knowledge base) with ``--layer`` files on top."""
        if kb:
            return cls(tuple(kb), tuple(layers))
        return cls.shipped(tuple(layers))

    @property
    def is_shipped(self) -> bool:
        """Whether this is exactly argmap's own knowledge base (trusted: not probed)."""
        entry, root = shipped_kb()
        return (
            not self.layers
            and len(self.files) == 1
            and os.path.realpath(self.files[0]) == os.path.realpath(entry)
            and (self.root is None or os.path.realpath(self.root) == os.path.realpath(root))
        )

    def identity(self) -> tuple[object, ...]:
        """What makes two specs the same program with the same messages: each file's real
        path and the name messages show it by, and the resolved root (so the shipped
        knowledge base named with or without its root is one)."""
        root = os.path.realpath(self.base_root())
        files = tuple((os.path.realpath(f), _shown(f, self.base_root())) for f in self.files)
        layers = tuple((os.path.realpath(f), _shown(f, self.base_root())) for f in self.layers)
        return (files, layers, root)

    def base_root(self) -> str:
        return self.root or find_root(self.files[0])

    def display_root(self) -> str:
        """The folder paths are shown relative to."""
        return self.base_root()

    def sources(self) -> list[SourceFile]:
        """Every rule file, read and checked (entry files with their includes, then each layer)."""
        root = self.base_root()
        shown = {os.path.normpath(os.path.abspath(f)): _shown(f, root) for f in self.files}
        out = read_program(list(self.files), root, shown)
        for layer in self.layers:
            layer_root = find_root(layer)
            shown = {os.path.normpath(os.path.abspath(layer)): _shown(layer, root)}
            for src in read_program([layer], layer_root, shown):
                if all(src.path != s.path for s in out):
                    out.append(src)
        return out


def _shown(path: str, root: str) -> str:
    """An entry file as messages show it: as the user gave it if relative, else relative to the root."""
    if not os.path.isabs(path):
        return os.path.normpath(path)
    rel = os.path.relpath(path, root)
    return path if rel.startswith("..") else rel


def engine_sources(names: tuple[str, ...]) -> list[SourceFile]:
    """argmap's own ASP files, by name (trusted, but read the same way)."""
    return read_program(
        [str(ENGINE_LP / name) for name in names],
        str(ENGINE_LP),
        {os.path.normpath(str(ENGINE_LP / name)): f"argmap:{name}" for name in names},
    )


def kb_from_folder(folder: str, layers: tuple[str, ...] = ()) -> KnowledgeBase:
    """The knowledge base a folder holds: its argmap.toml's ``kb``, else ``rules/main.lp`` (or a .lp file itself).

    Raises:
        InputError: the folder holds no knowledge base.
    """
    from ..io.config import load

    if os.path.isfile(folder) and folder.endswith(".lp"):
        return KnowledgeBase((folder,), layers)
    config_file = os.path.join(folder, "argmap.toml")
    if os.path.isfile(config_file):
        found = load(config_file)
        if found.kb:
            return KnowledgeBase(found.kb, (*found.layers, *layers), os.path.abspath(folder))
    main = os.path.join(folder, "rules", "main.lp")
    if not os.path.isfile(main):
        raise InputError(
            "no knowledge base here", path=folder, expected="a folder with argmap.toml or rules/main.lp, or a .lp file"
        )
    return KnowledgeBase((main,), layers, os.path.abspath(folder))
