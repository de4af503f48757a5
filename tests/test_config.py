"""The project config (argmap.io.config): argmap.toml or pyproject's [tool.argmap], and the commands that read it."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import argmap
from argmap.io import config
from argmap.io.config import Config
from argmap.io.scaffold import scaffold
from helpers import ROOT, probe_without_child

Run = Callable[..., Result]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- finding and reading it
def test_argmap_toml_is_found_from_a_folder_below_it(tmp_path: Path) -> None:
    write(
        tmp_path / "argmap.toml", 'kb = "rules/main.lp"\nscenarios = ["cases", "more"]\n[sources]\nmain = "text.txt"\n'
    )
    (tmp_path / "a" / "b").mkdir(parents=True)
    found = config.find(str(tmp_path / "a" / "b"))
    # every path is made absolute, relative to the config file's folder
    assert found == Config(
        path=str(tmp_path / "argmap.toml"),
        kb=(str(tmp_path / "rules" / "main.lp"),),
        scenarios=(str(tmp_path / "cases"), str(tmp_path / "more")),
        sources={"main": str(tmp_path / "text.txt")},
    )
    assert found.folder == str(tmp_path)


def test_a_pyproject_table(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.argmap]\nkb = ["a.lp", "b.lp"]\nlayers = "mine.lp"\nproposals = ["p"]\n'
        '[tool.argmap.sources]\nsrc = "../texts/s.txt"\n',
    )
    found = config.find(str(tmp_path))
    assert found.kb == (str(tmp_path / "a.lp"), str(tmp_path / "b.lp"))
    assert found.layers == (str(tmp_path / "mine.lp"),)
    assert found.proposals == (str(tmp_path / "p"),)
    assert found.sources == {"src": str(tmp_path.parent / "texts" / "s.txt")}


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path / "argmap.toml", 'proposals = ["p"]\n')
    write(tmp_path / "inner" / "pyproject.toml", '[project]\nname = "x"\n')
    assert config.find(str(tmp_path / "inner")).path == str(tmp_path / "argmap.toml")


def test_the_nearest_config_wins_and_argmap_toml_before_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "argmap.toml", 'proposals = ["outer"]\n')
    write(tmp_path / "inner" / "pyproject.toml", '[tool.argmap]\nproposals = ["pyproject"]\n')
    assert config.find(str(tmp_path / "inner")).proposals == (str(tmp_path / "inner" / "pyproject"),)
    write(tmp_path / "inner" / "argmap.toml", 'proposals = ["toml"]\n')
    assert config.find(str(tmp_path / "inner")).proposals == (str(tmp_path / "inner" / "toml"),)


def test_no_config_is_an_empty_one(tmp_path: Path) -> None:
    assert config.find(str(tmp_path)) == Config()
    assert Config().folder is None


def test_the_repository_names_its_knowledge_base_scenarios_and_source() -> None:
    found = config.find(str(ROOT / "tests"))
    assert found.path == str(ROOT / "pyproject.toml")
    assert found.kb == (str(ROOT / "rules" / "main.lp"),)
    assert found.scenarios == (str(ROOT / "tests" / "scenarios"),)
    assert found.proposals == (str(ROOT / "proposals"),)
    assert set(found.sources) == {"solodkyy"}
    assert Path(found.sources["solodkyy"]).is_file()


@pytest.mark.parametrize(
    ("name", "text", "key", "words", "suggestion"),
    [
        ("argmap.toml", 'scenario = ["s"]\n', "scenario", "unknown key", "scenarios"),
        ("pyproject.toml", '[tool.argmap]\nlayer = ["x.lp"]\n', "tool.argmap.layer", "unknown key", "layers"),
        ("argmap.toml", "kb = 3\n", "kb", "must be a path or a list of paths", None),
        ("argmap.toml", 'proposals = [""]\n', "proposals", "must be a path or a list of paths", None),
        ("argmap.toml", 'sources = "text.txt"\n', "sources", "must be a table of source id = path", None),
        ("pyproject.toml", '[tool]\nargmap = "x"\n', "tool.argmap", "must be a table", None),
        ("argmap.toml", "kb = [\n", None, "not valid TOML", None),
    ],
    ids=["unknown-key", "unknown-key-in-pyproject", "kb-number", "empty-path", "sources", "not-a-table", "toml"],
)
def test_a_bad_config_is_a_located_input_error(
    tmp_path: Path, name: str, text: str, key: str | None, words: str, suggestion: str | None
) -> None:
    path = write(tmp_path / name, text)
    with pytest.raises(argmap.InputError) as info:
        config.find(str(tmp_path))
    assert info.value.path == str(path)
    assert info.value.key == key
    assert words in info.value.message
    assert info.value.suggestion == suggestion


# ---------------------------------------------------------------- the commands read it
@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`argmap init`'s knowledge base: its argmap.toml names the knowledge base, proposals, scenarios, source."""
    root = tmp_path_factory.mktemp("project") / "kb"
    scaffold(str(root))
    (root / "deep" / "down").mkdir(parents=True)
    return root


@pytest.fixture(scope="module")
def cli(project: Path) -> Iterator[Run]:
    """`argmap ARGS` in this process, from a folder inside the project; its knowledge base is grounded once for
    the module.  (The child process that first grounds a knowledge base not argmap's own is tested in
    test_guard.py; here its files are only read.)"""
    api = importlib.import_module("argmap.api")
    guard = importlib.import_module("argmap.engine.guard")
    grounded: dict[tuple[object, ...], Any] = {}
    build = api.Argmap._engine

    def engine(self: argmap.Argmap, **kw: Any) -> Any:
        key = (self.kb, self.timeout, tuple(sorted(kw.items())))
        if key not in grounded:
            grounded[key] = build(self, **kw)
        return grounded[key]

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(api.Argmap, "_engine", engine)
        monkeypatch.setattr(guard, "probe", probe_without_child)
        monkeypatch.chdir(project / "deep" / "down")
        yield lambda *args: CliRunner().invoke(importlib.import_module("argmap.cli.root").main, [str(a) for a in args])


def test_the_api_opens_the_config_s_knowledge_base(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project / "deep")
    app = argmap.Argmap()
    assert app.config.path == str(project / "argmap.toml")
    assert app.kb.files == (str(project / "rules" / "main.lp"),)
    assert not app.kb.is_shipped
    explicit = argmap.Argmap(config=config.load(str(project / "argmap.toml")))
    assert explicit.kb == app.kb


def test_check_judges_the_config_s_proposals(cli: Run, project: Path) -> None:
    result = cli("check")
    assert result.exit_code == 0, result.output
    assert "A price with few exemptions  [example]" in result.stdout
    assert "effective     yes" in result.stdout
    for word in ("credible", "Russia"):  # the shipped knowledge base is not used
        assert word not in result.stdout


def test_test_runs_the_config_s_scenarios(cli: Run, project: Path) -> None:
    result = cli("test", "--coverage")
    assert result.exit_code == 0, result.output
    assert f"PASS  {project / 'scenarios' / 'example.yaml'}::a price with few exemptions is effective" in result.stdout
    assert "3 passed, 0 failed" in result.stdout
    assert "Claim coverage: 2/2 claims" in result.stdout


def test_lint_checks_the_config_s_sources_and_proposals(cli: Run, project: Path) -> None:
    result = cli("lint", "--strict")
    assert (result.exit_code, result.stdout) == (0, "0 findings (0 errors).\n"), result.output
    # the source really is read: a source without the quote fails
    source = project / "sources" / "source.txt"
    text = source.read_text(encoding="utf-8")
    try:
        source.write_text(text.replace("A price on a scarce resource reduces its overuse.", ""), encoding="utf-8")
        result = cli("lint")
    finally:
        source.write_text(text, encoding="utf-8")
    assert result.exit_code == 1
    assert result.stdout.startswith("facts/claims.lp:8: AM005 quote of pricing_works is not in the source source")


def test_a_layer_option_adds_to_the_config_s_knowledge_base(cli: Run, project: Path, tmp_path: Path) -> None:
    layer = write(tmp_path / "reject.lp", "rejected(pricing_works).\n")
    result = cli("check", "--layer", layer, "--exit-zero")
    assert result.exit_code == 0, result.output
    assert "pricing_works" not in result.stdout.split("For effective", 1)[-1]
    assert "effective     yes" in result.stdout
    assert cli("test", "--layer", layer).exit_code == 1  # a case that needs the claim now fails
