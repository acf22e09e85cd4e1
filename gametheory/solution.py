"""Result types shared by every solver, report and sweep.

Solvers return a :class:`Enumeration` (raw profiles, grouped into connected
components, plus what they could establish about completeness).
:func:`gametheory.solvers.solve` certifies every profile independently and
wraps the certified ones into :class:`Equilibrium` objects inside a frozen
:class:`Solution`, which reports and plots read and never recompute.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

from . import display
from .game import MixedProfile, NormalFormGame, Number

# ------------------------------------------------------------------ solver statistics
# What a solver reports beside its profiles, one frozen type per solver family:
# ``Enumeration.stats`` and ``Solution.stats`` hold one of them (None for the pure solver).


@dataclass(frozen=True)
class NashSubset:
    """A maximal Nash subset of a two-player game: every profile in ``conv(X) x conv(Y)`` is an equilibrium.

    (A maximal biclique of the graph whose edges are the extreme equilibria;
    see :func:`gametheory.solvers.bimatrix.enumerate_bimatrix`.)
    """

    #: The connected component of the equilibrium set it belongs to.
    component: int
    #: Indices into the enumeration's ``profiles``: every pair of its x- and y-vertices.
    profiles: tuple[int, ...]
    #: The row player's vertex strategies ``X`` and the column player's ``Y``.
    strategies: tuple[tuple[tuple[Any, ...], ...], tuple[tuple[Any, ...], ...]]


@dataclass(frozen=True)
class BimatrixStats:
    """What exact two-player enumeration (vertex or support enumeration) found beside the profiles."""

    #: The maximal Nash subsets, sorted by component, then by their profile indices
    #: (empty when vertex enumeration stopped at its time limit).
    cliques: tuple[NashSubset, ...] = ()
    #: How many vertices each best-response polytope has (the origin included), when
    #: vertex enumeration ran to the end; None otherwise.
    vertices: tuple[int, int] | None = None


@dataclass(frozen=True)
class LemkeHowsonStats:
    """How the Lemke-Howson runs from each starting label went."""

    #: The starting labels from which no equilibrium was reached (step bound or time limit).
    failed_labels: tuple[int, ...]
    #: The labels whose nashpy run failed and were rerun with the exact engine.
    nashpy_failures: tuple[int, ...]
    #: The pivoting engine asked for: ``"exact"`` or ``"nashpy"``.
    engine: str


@dataclass(frozen=True)
class PositiveDimensionalSet:
    """A continuum of equilibria on one support, reported by the equilibria where it meets the boundary."""

    #: The support: each player's name mapped to the names of the strategies it uses.
    support: Mapping[str, Sequence[str]]
    #: Its dimension, when known (0 or None when it could not be established).
    dimension: int | None
    #: The component number its boundary equilibria share in the enumeration.
    component: int | None
    #: Sample profiles inside the set (from the symbolic solver; may be empty).
    samples: tuple[Any, ...] = ()


@dataclass(frozen=True)
class PolynomialStats:
    """The bookkeeping of N-player polynomial support enumeration."""

    #: Support profiles settled: those solved plus those pruned without solving.
    supports_examined: int
    #: Support profiles in the game after iterated dominance.
    supports_total: int
    #: Support profiles skipped by conditional dominance.
    supports_pruned: int
    #: Support profiles whose indifference system was solved (before any time limit).
    supports_solved: int
    #: Per equilibrium, per player, per strategy: its exact value as sympy text (rationals
    #: ``"1/4"``, radicals or ``CRootOf``), produced on first access; None where unknown.
    exact_forms: Sequence[Any]
    #: One entry per support carrying a continuum of equilibria.
    positive_dimensional: tuple[PositiveDimensionalSet, ...]
    #: Each player's strategy indices that survive iterated strict dominance.
    strategies_after_dominance: tuple[tuple[int, ...], ...]
    #: Seconds the enumeration took.
    seconds: float


@dataclass(frozen=True)
class LogitStats:
    """Where logit tracing stopped and what it found there."""

    #: Whether the limit of the branch was confirmed (two agreeing polishes, or a vanishing regret).
    converged: bool
    #: The precision lambda of the last QRE reached, in units of the payoff range.
    last_lambda: float
    #: Predictor-corrector steps taken along the branch.
    steps: int
    #: The regret of the last QRE reached, in payoff units (inf when none was reached).
    path_regret: float
    #: How many times a traced point was polished into a candidate equilibrium.
    polish_attempts: int
    #: Seconds the tracing took.
    elapsed: float
    #: Bifurcations the branch crossed (continued straight on).
    bifurcations: int
    #: The last QRE reached, as float probabilities, when no equilibrium was found; else None.
    approximate: tuple[tuple[float, ...], ...] | None = None
    #: The support of the equilibrium found (strategy indices per player); None when none was.
    support: tuple[tuple[int, ...], ...] | None = None
    #: Largest probability difference between that equilibrium and the traced QRE; None when none was found.
    distance: float | None = None


#: What ``Enumeration.stats`` and ``Solution.stats`` can hold.
SolverStats = BimatrixStats | LemkeHowsonStats | PolynomialStats | LogitStats


@dataclass(frozen=True)
class Enumeration:
    """What a solver found, before certification.

    ``profiles`` are the extreme equilibria found (exact Fractions when the
    solver worked exactly). ``components[k]`` is the connected component the
    k-th profile belongs to: profiles that share a number are extreme points of
    one connected set of equilibria (in a nondegenerate game every equilibrium
    is its own component). ``complete`` is True only when the method proves
    that no other equilibrium (or extreme point) exists. ``stats`` holds what
    the solver family reports beside the profiles (maximal Nash subsets,
    supports examined, where logit tracing stopped, ...).
    """

    profiles: tuple[MixedProfile, ...]
    components: tuple[int, ...]
    complete: bool
    method: str
    exact: bool
    notes: tuple[str, ...] = ()
    #: What the solver reports beside the profiles (see :data:`SolverStats`); None for the pure solver.
    stats: SolverStats | None = None


@dataclass(frozen=True)
class Equilibrium:
    """One certified equilibrium.

    ``max_regret`` is the largest gain any player could get by deviating, as
    computed by :mod:`gametheory.certify`: exactly 0 when ``exact``.
    """

    profile: MixedProfile
    payoffs: tuple[Number, ...]
    exact: bool
    max_regret: Number
    component: int | None = None
    method: str = ""
    #: For irrational equilibria: each probability's exact algebraic value as text
    #: (radicals such as ``"79/155 + sqrt(2521)/155"`` or a ``CRootOf``), when the solver knows it.
    algebraic: tuple[tuple[str, ...], ...] | None = None

    @cached_property
    def support(self) -> tuple[tuple[int, ...], ...]:
        """Indices of the strategies each player uses with positive probability (kept: labels ask for it often)."""
        return tuple(tuple(k for k, p in enumerate(probs) if p > 0) for probs in self.profile)

    @property
    def pure(self) -> bool:
        return all(len(s) == 1 for s in self.support)

    @property
    def pure_profile(self) -> tuple[int, ...] | None:
        """The strategy indices if the equilibrium is pure, else None."""
        return tuple(s[0] for s in self.support) if self.pure else None

    def float_profile(self) -> tuple[tuple[float, ...], ...]:
        return tuple(tuple(float(p) for p in probs) for probs in self.profile)


@dataclass(frozen=True)
class Solution:
    """A solved game: its certified equilibria and the facts around them.

    ``scope`` says what was asked: ``"pure"`` (pure equilibria only), ``"all"``
    (every equilibrium, as extreme points of components) or ``"one"`` (a single
    equilibrium from a path-following method). ``complete`` says whether the
    list is proven to be everything within that scope.
    """

    game: NormalFormGame
    equilibria: tuple[Equilibrium, ...]
    scope: str
    method: str
    complete: bool
    exact: bool
    notes: tuple[str, ...] = ()
    rejected: int = 0
    dominance: Any = None
    security: Any = None
    selection: Any = None
    #: The solver's own statistics, as in :attr:`Enumeration.stats`.
    stats: SolverStats | None = None
    elapsed: float = 0.0
    # For a game tree or a Bayesian game: the analysis of its structure at these parameter
    # values (gametheory.solvers.trees.TreeAnalysis or gametheory.solvers.bayesian.BayesianAnalysis).
    extensive: Any = None
    # The correlated-equilibrium polytope summarised (gametheory.solvers.correlated.CorrelatedResult),
    # when asked for: analyse(..., correlated=True).
    correlated: Any = None
    # Which payoffs are best responses, the * of payoff tables: a boolean array of shape
    # (players, *game.shape) from gametheory.solvers.pure.best_response_mask, filled by solve().
    best_responses: Any = field(default=None, compare=False)

    @property
    def parameters(self) -> dict:
        return self.game.parameters

    @property
    def pure_equilibria(self) -> tuple[Equilibrium, ...]:
        return tuple(e for e in self.equilibria if e.pure)

    def __repr__(self) -> str:
        return display.render(self, "text") or object.__repr__(self)

    def _repr_html_(self) -> str | None:
        return display.render(self, "html")

    def _repr_latex_(self) -> str | None:
        return display.render(self, "latex")

    @property
    def components(self) -> dict[int, tuple[Equilibrium, ...]]:
        groups: dict[int, list[Equilibrium]] = {}
        for e in self.equilibria:
            if e.component is not None:
                groups.setdefault(e.component, []).append(e)
        return {k: tuple(v) for k, v in groups.items()}


def fraction_text(x: Number) -> str:
    """Exact text of a rational ('1/3'), or a short decimal for floats."""
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    return f"{float(x):.6g}"
