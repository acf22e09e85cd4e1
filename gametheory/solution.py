"""Result types shared by every solver, report and sweep.

Solvers return a :class:`Enumeration` (raw profiles, grouped into connected
components, plus what they could establish about completeness).
:func:`gametheory.solvers.solve` certifies every profile independently and
wraps the certified ones into :class:`Equilibrium` objects inside a frozen
:class:`Solution`, which reports and plots read and never recompute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from . import display
from .game import MixedProfile, NormalFormGame, Number


@dataclass(frozen=True)
class Enumeration:
    """What a solver found, before certification.

    ``profiles`` are the extreme equilibria found (exact Fractions when the
    solver worked exactly). ``components[k]`` is the connected component the
    k-th profile belongs to: profiles that share a number are extreme points of
    one connected set of equilibria (in a nondegenerate game every equilibrium
    is its own component). ``complete`` is True only when the method proves
    that no other equilibrium (or extreme point) exists.
    """

    profiles: tuple[MixedProfile, ...]
    components: tuple[int, ...]
    complete: bool
    method: str
    exact: bool
    notes: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)


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

    @property
    def support(self) -> tuple[tuple[int, ...], ...]:
        """Indices of the strategies each player uses with positive probability."""
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
    details: dict[str, Any] = field(default_factory=dict)
    elapsed: float = 0.0
    # For a game tree or a Bayesian game: the analysis of its structure at these parameter
    # values (gametheory.extensive.TreeAnalysis or gametheory.bayesian.BayesianAnalysis).
    extensive: Any = None
    # The correlated-equilibrium polytope summarised (gametheory.solvers.correlated.CorrelatedResult),
    # when asked for: analyse(..., correlated=True).
    correlated: Any = None
    # Which payoffs are best responses, the * of payoff tables: a boolean array of shape
    # (players, *game.shape) from gametheory.solvers.pure.best_response_mask, filled by analyse().
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
