"""The facade: one object that owns a knowledge base and answers every question about it.

Like sqlite-utils' ``Database``, an :class:`Argmap` is what the command line,
the web page and any embedding program call::

    >>> import glob
    >>> from argmap import Argmap
    >>> app = Argmap()                          # the project config's knowledge base
    >>> verdict = app.check(sorted(glob.glob("proposals/*.yaml"))[0])
    >>> [o.name for o in verdict.outcomes] == [spec.name for spec in app.registry]   # every declared verdict
    True

Each engine (plain, traced for explanations, repair) is built and grounded
once, on first use; every question is a solve under assumptions on it.  Every
setting, ``timeout`` included, reaches every solve (and, for ``check(...,
jobs=N)``, every worker process).  Methods return the typed result objects
of :mod:`argmap.model`; :mod:`argmap.render` turns them into text, JSON or HTML.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .engine.kbspec import KnowledgeBase
from .io.proposals import expand_paths
from .model.errors import InputError
from .model.proposal import BASELINE, Change, Proposal, World

if TYPE_CHECKING:  # pragma: no cover
    from .af.article import ArticleFramework
    from .analysis.testing import TestRun
    from .engine.control import Engine
    from .engine.judge import Judgement
    from .io.config import Config
    from .model.argument_map import ArgumentMap
    from .model.explanation import Explanation
    from .model.kb import Claim, Vocabulary
    from .model.lint import Finding
    from .model.results import Exploration, RepairResult, Sensitivity, SubjectDiff, WhatIf
    from .model.testing import TestReport
    from .model.verdicts import Registry, Verdict


class Argmap:
    """A knowledge base, ready to judge proposals.

    Args:
        kb: entry rule files that replace the shipped knowledge base (or a
            :class:`~argmap.engine.kbspec.KnowledgeBase`); default: the
            project config's ``kb``, else the shipped one.
        layers: rule files added on top (after the config's layers).
        timeout: seconds that bound each solve, and the grounding of rule
            files that are not argmap's own (default 60 s for those).
        config: the project config (default: found from the current folder;
            pass ``Config()`` to ignore any).
    """

    def __init__(
        self,
        kb: Sequence[str] | KnowledgeBase | None = None,
        *,
        layers: Sequence[str] = (),
        timeout: float | None = None,
        config: Config | None = None,
    ) -> None:
        from .io import config as config_module

        self.config = config if config is not None else config_module.find()
        if isinstance(kb, KnowledgeBase):
            self.kb = kb if not layers else KnowledgeBase(kb.files, (*kb.layers, *layers), kb.root)
        else:
            files = tuple(kb or ()) or self.config.kb
            self.kb = KnowledgeBase.from_options(files, (*self.config.layers, *layers))
        self.timeout = timeout

    # ------------------------------------------------------------ engines
    def _engine(self, **kw: Any) -> Engine:
        from .engine.cache import engine_for

        return engine_for(self.kb, timeout=self.timeout, **kw)

    def _kept(self, name: str, **kw: Any) -> Engine:
        engine = self.__dict__.get(name)
        if engine is None:
            engine = self.__dict__[name] = self._engine(**kw)
        engine.timeout = self.timeout  # engines are shared within a process; this object's timeout applies
        return engine  # type: ignore[no-any-return]

    @property
    def engine(self) -> Engine:
        """The knowledge base grounded for judging (built on first use, shared within the process)."""
        return self._kept("engine")

    @property
    def traced(self) -> Engine:
        """The knowledge base grounded with rule tracing, for explanations, maps and coverage."""
        return self._kept("traced", trace=True)

    @property
    def repairer(self) -> Engine:
        """The knowledge base grounded with the proposal's components as a choice (repair)."""
        return self._kept("repairer", mode="repair")

    def _any(self) -> Engine:
        """Whichever engine is already built (the vocabulary is the same in each)."""
        for name in ("engine", "traced", "repairer"):
            if name in self.__dict__:
                return self._kept(name)
        return self.engine

    @property
    def vocabulary(self) -> Vocabulary:
        return self._any().vocabulary

    @property
    def registry(self) -> Registry:
        """The verdicts the knowledge base declares."""
        return self.vocabulary.registry

    @property
    def claims(self) -> dict[str, Claim]:
        return self.vocabulary.claims

    def claim_list(self) -> list[Claim]:
        """Every claim, sorted by id."""
        return [self.claims[c] for c in sorted(self.claims)]

    # ------------------------------------------------------------ proposals
    def load(self, proposal: str | Proposal) -> Proposal:
        """A proposal file, read and validated against the vocabulary (a Proposal is passed through)."""
        if isinstance(proposal, Proposal):
            return proposal
        from .io.proposals import load_proposal

        return load_proposal(proposal, self.vocabulary)

    def load_all(self, paths: Iterable[str]) -> list[Proposal]:
        return [self.load(p) for p in expand_paths(paths)]

    def changes(self, **options: Any) -> list[Change]:
        """What-if changes from command-line style options (see :func:`argmap.io.changes.parse_changes`)."""
        from .io.changes import parse_changes

        return parse_changes(self.vocabulary, **options)

    # ------------------------------------------------------------ questions
    def judge(self, proposal: str | Proposal, world: World = BASELINE, *, trace: bool = False) -> Judgement:
        """The one judging path (:func:`argmap.engine.judge.judge`)."""
        from .engine.judge import judge

        engine = self.traced if trace else self.engine
        return judge(engine, self.load(proposal), world, trace=trace)

    def check(self, proposal: str | Proposal, world: World = BASELINE) -> Verdict:
        """The verdicts of one proposal."""
        return self.judge(proposal, world).verdict

    def check_paths(self, paths: Iterable[str], *, jobs: int = 1) -> Iterator[Verdict | InputError]:
        """Verdicts for proposal files (or folders of them), in order, as they are computed.

        A file that cannot be read or judged yields its InputError in its place
        (the others are still judged).  With `jobs` > 1 the batch is split
        across processes, each grounding the knowledge base once.
        """
        files = expand_paths(paths)
        if jobs > 1 and len(files) > 1:
            from .engine.workers import parallel_check

            yield from parallel_check(self.kb, self.timeout, files, jobs)
            return
        for path in files:
            try:
                yield self.check(path)
            except InputError as exc:
                if exc.path is None:
                    exc.path = path
                yield exc

    def explain(
        self,
        proposal: str | Proposal,
        *,
        why: str | None = None,
        why_not: str | None = None,
        world: World = BASELINE,
    ) -> Explanation:
        """Why each verdict holds or not (or one atom, with `why` / `why_not`), from the rule firings."""
        from .analysis.explain import explain

        return explain(self.traced, self.load(proposal), why=why, why_not=why_not, world=world)

    def whatif(self, proposal: str | Proposal, changes: Sequence[Change], world: World = BASELINE) -> WhatIf:
        """The verdicts before and after `changes`."""
        from .analysis.whatif import whatif

        return whatif(self.engine, self.load(proposal), list(changes), world)

    def repair(
        self,
        proposal: str | Proposal,
        *,
        goals: Sequence[str] = (),
        keep: Sequence[str] = (),
        max_changes: int | None = None,
        limit: int = 20,
    ) -> RepairResult:
        """The smallest, then cheapest, changes that make every goal hold (default: the gate verdicts)."""
        from .analysis.repair import repair

        return repair(
            self.repairer,
            self.engine,
            self.load(proposal),
            goals=goals,
            keep=keep,
            max_changes=max_changes,
            limit=limit,
        )

    def sensitivity(self, proposal: str | Proposal) -> Sensitivity:
        """The claims each verdict rests on, and which are pivotal."""
        from .analysis.sensitivity import sensitivity

        return sensitivity(self.traced, self.load(proposal))

    def explore(self, space: str, *, explain: bool = False, **options: Any) -> Exploration:
        """Search a design space file (options: goals, axes, limit, count_limit, optima, listener; see
        :func:`argmap.analysis.explore.explore`); with `explain`, why the first optimum meets the goals."""
        from .analysis.explore import explore
        from .io.spaces import load_space

        design = load_space(space, self.vocabulary)
        result = explore(design, self.kb, timeout=self.timeout, **options)
        result.choices = tuple(design.choices)
        if explain and result.cheapest:
            from .analysis.explain import explain as explain_proposal

            optimum = result.cheapest[0].proposal(design.title, design.path, "optimum")
            why = explain_proposal(self.traced, optimum)
            names = {self.registry[g].label for g in result.goals}
            why.items = [item for item in why.items if item.label in names]
            result.why = why
        return result

    def map(self, proposal: str | Proposal | None = None, **options: Any) -> ArgumentMap:
        """The knowledge base's argument map; with a proposal, marked with what holds and fired."""
        from .analysis.argument_map import argument_map

        if proposal is None:
            return argument_map(self.engine, None, **options)
        return argument_map(self.traced, self.load(proposal), **options)

    def report(self, proposals: Iterable[str | Proposal]) -> Any:
        """The data of an HTML report on `proposals` (render it with :func:`argmap.render.html.report_html`)."""
        from .analysis.report import build_report

        items = [self.load(p) for p in proposals]
        return build_report(self.traced, self.repairer, items)

    def lint(self, *, sources: dict[str, str] | None = None, proposals: Sequence[str] = ()) -> list[Finding]:
        """Findings about the knowledge base: quotes against `sources` ({id: file}; "" names the default
        source; default: the config's), the contract, predicates, docstrings, example `proposals` folders."""
        from .analysis.lint import lint

        given = dict(self.config.sources)
        given.update(sources or {})
        if not self.kb.is_shipped:
            from .engine.guard import probe

            probe(self.kb, timeout=self.timeout)
        return lint(self.kb, sources=given, proposals=proposals, timeout=self.timeout)

    def test(self, paths: Sequence[str] = (), *, keyword: str | None = None, coverage: bool = False) -> TestReport:
        """Run scenario files (default: the config's scenarios folders)."""
        from .analysis.testing import collect, run

        found = list(paths) or list(self.config.scenarios)
        if not found:
            raise InputError("no scenario files given", expected="a path, or scenarios = [...] in the project config")
        cases = collect(self.vocabulary, found, keyword)
        return run(self.traced, cases, coverage=coverage)

    def test_run(
        self,
        paths: Sequence[str] = (),
        *,
        keyword: str | None = None,
        coverage: bool = False,
        keep_failed: bool = False,
    ) -> TestRun:
        """Scenario files run one case at a time as the result is iterated (see
        :class:`argmap.analysis.testing.TestRun`): counts and coverage without keeping every result."""
        from .analysis.testing import TestRun, collect

        found = list(paths) or list(self.config.scenarios)
        if not found:
            raise InputError("no scenario files given", expected="a path, or scenarios = [...] in the project config")
        cases = collect(self.vocabulary, found, keyword)
        return TestRun(self.traced, cases, coverage=coverage, keep_failed=keep_failed)

    def diff(self, base: Argmap, proposals: Sequence[str] = (), scenarios: Sequence[str] = ()) -> list[SubjectDiff]:
        """The verdicts that change from `base` (an older knowledge base) to this one."""
        from .analysis.diff import diff, subjects

        return diff(base.traced, self.traced, subjects(self.vocabulary, proposals, scenarios))

    def diff_revision(
        self, rev: str, proposals: Sequence[str] = (), scenarios: Sequence[str] = ()
    ) -> list[SubjectDiff]:
        """The verdicts that change from this knowledge base's files as they were at git revision `rev`.

        Raises:
            InputError: git is missing, the knowledge base is not in the checkout, or `rev` is unknown.
        """
        import tempfile

        from .io import revision

        sources = self.kb.sources()
        top = revision.toplevel(os.path.dirname(sources[0].path))
        folders = sorted({os.path.relpath(os.path.dirname(src.path), top) for src in sources})
        if any(f.startswith("..") for f in folders):
            raise InputError("the knowledge base is not inside this git checkout", key="--base", path=top)

        def moved(path: str, into: str) -> str:
            return os.path.join(into, os.path.relpath(os.path.abspath(path), top))

        with tempfile.TemporaryDirectory(prefix="argmap-base-") as tmp:
            revision.extract(top, rev, folders, tmp)
            old = KnowledgeBase(
                tuple(moved(f, tmp) for f in self.kb.files),
                tuple(moved(f, tmp) for f in self.kb.layers),
                moved(self.kb.base_root(), tmp),
            )
            for path in (*old.files, *old.layers):
                if not os.path.isfile(path):
                    raise InputError(f"revision '{rev}' has no {os.path.relpath(path, tmp)}", key="--base")
            base = Argmap(old, timeout=self.timeout, config=self.config)
            return self.diff(base, proposals, scenarios)

    def framework(self) -> ArticleFramework:
        """The knowledge base's own argumentation framework (``af_arg/2``, ``af_by/2``, ``af_att/2`` facts).

        Raises:
            InputError: the knowledge base has no af_arg/2 facts.
        """
        from .af.article import framework_of

        engine = self.engine
        return framework_of(engine.facts, engine.files[0] if engine.files else "the knowledge base")

    def schema(self, kind: str) -> dict[str, Any]:
        """The JSON Schema of proposal or scenario files, from the vocabulary and the verdicts."""
        from .analysis.schema import generate

        return generate(kind, self.vocabulary)
