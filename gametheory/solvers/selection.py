"""Facts that help people choose among equilibria.

Nash equilibrium says what is self-enforcing, not which self-enforcing outcome
will happen. When a game has several equilibria these standard criteria help a
seminar discuss which one is more plausible:

* **strict** (pure equilibria where every player's strategy is the *unique*
  best response; strict equilibria survive every refinement);
* **Pareto comparison** among the equilibria, and **payoff dominance**
  (Harsanyi & Selten 1988): an equilibrium that is at least as good for every
  player as every other equilibrium, and better for someone;
* **risk dominance** for 2x2 games with two strict equilibria (Harsanyi &
  Selten 1988, section 3.9): the equilibrium with the larger product of the
  players' deviation losses is the one that is "safer" under strategic
  uncertainty;
* **logit tracing** (McKelvey & Palfrey 1995; Turocy 2005): the equilibrium
  at the end of the principal branch of logit quantal response equilibria,
  which starts at uniform play (no rationality) and follows the equilibrium
  as rationality grows (:mod:`gametheory.solvers.logit`);
* **weakly dominated strategies**: an equilibrium in which a player uses a
  (pure or mixed) strategy that is weakly dominated. In two-player games an
  equilibrium is trembling-hand perfect exactly when neither strategy is
  weakly dominated (van Damme 1991, Theorem 3.2.2), so this flags the
  equilibria that are not perfect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..game import NormalFormGame, Number, strategy_payoffs
from ..solution import Equilibrium


@dataclass(frozen=True)
class EquilibriumFacts:
    """Facts about one equilibrium (index ``index`` in the solution's list)."""

    index: int
    pure: bool
    strict: bool
    pareto_dominated_by: tuple[int, ...]
    weakly_dominated_players: tuple[int, ...]
    perfect: bool | None  # known for 2-player games only


@dataclass(frozen=True)
class SelectionFacts:
    equilibria: tuple[EquilibriumFacts, ...]
    payoff_dominant: int | None
    risk_dominant: int | None
    risk_products: tuple[Number, Number] | None = None
    logit_selected: int | None = None  # the equilibrium logit tracing converges to, if it is in the list


#: Logit tracing is skipped for games with more strategies than this in total (it then takes seconds).
LOGIT_MAX_STRATEGIES = 120
#: Time limit (seconds) for the logit tracing behind :attr:`SelectionFacts.logit_selected`.
LOGIT_TIMEOUT = 5.0


def logit_selected(game: NormalFormGame, equilibria: Sequence[Equilibrium]) -> int | None:
    """Index of the equilibrium selected by logit tracing, or None (not found, or game too large).

    Equilibria found by the logit method itself are the selected one by
    construction; otherwise the branch is traced (bounded by
    :data:`LOGIT_TIMEOUT`) and its limit matched against the list.
    """
    if not equilibria:
        return None
    if all(eq.method == "logit" for eq in equilibria):
        return 0 if len(equilibria) == 1 else None
    if sum(game.shape) > LOGIT_MAX_STRATEGIES:
        return None
    from .logit import logit_selection

    return logit_selection(game, equilibria, timeout=LOGIT_TIMEOUT)


def is_strict(game: NormalFormGame, eq: Equilibrium) -> bool:
    """True for a pure equilibrium where each player's strategy is the unique best response."""
    if not eq.pure:
        return False
    profile = eq.pure_profile
    for i in range(game.num_players):
        values = strategy_payoffs(game, eq.profile, i)
        mine = values[profile[i]]
        if any(v >= mine for k, v in enumerate(values) if k != profile[i]):
            return False
    return True


def pareto_dominates(a: Sequence[Number], b: Sequence[Number]) -> bool:
    """Payoff vector ``a`` is at least as good as ``b`` for everyone and better for someone."""
    return all(x >= y for x, y in zip(a, b)) and any(x > y for x, y in zip(a, b))


def weakly_dominated(game: NormalFormGame, player: int, strategy: Sequence[Number]) -> bool:
    """Is the (mixed) strategy weakly dominated: another strategy does at least as well against every
    opponent profile and strictly better against one?

    Decided by a linear program (maximise the total gain of a replacement
    subject to no loss anywhere), exact for exact games.
    """
    from .lp import solve_lp
    from .security import player_matrix

    matrix = player_matrix(game, player)  # rows: own strategies, columns: opponents' pure profiles
    exact = game.exact and all(isinstance(p, (int, Fraction)) for p in strategy)
    if not exact:
        matrix = np.asarray(matrix, dtype=float)
    m, cols = matrix.shape
    current = [sum((strategy[k] * matrix[k, c] for k in range(m)), Fraction(0) if exact else 0.0) for c in range(cols)]
    # Variables: the replacement's probabilities. Constraint: -(x'A)_c <= -(xA)_c.
    A_ub = [[-matrix[k, c] for k in range(m)] for c in range(cols)]
    b_ub = [-current[c] for c in range(cols)]
    objective = [-sum(matrix[k, c] for c in range(cols)) for k in range(m)]
    result = solve_lp(objective, A_ub, b_ub, [[1] * m], [1], exact=exact)
    if result.status != "optimal":
        return False
    gain = -result.objective - sum(current)
    return gain > 0 if exact else gain > 1e-9 * max(1.0, float(np.abs(matrix).max()))


def risk_dominance(game: NormalFormGame, equilibria: Sequence[Equilibrium]) -> tuple[int | None, tuple | None]:
    """For a 2x2 game with exactly two strict pure equilibria, the index of the risk-dominant one.

    With equilibria (r, c) and (r', c'), the Nash product of deviation losses
    at (r, c) is ``(A[r,c] - A[r',c]) * (B[r,c] - B[r,c'])``; the larger product
    risk-dominates. Returns (None, None) when the criterion does not apply, and
    (None, products) when the products tie.
    """
    if game.num_players != 2 or game.shape != (2, 2):
        return None, None
    strict = [k for k, e in enumerate(equilibria) if is_strict(game, e)]
    if len(strict) != 2:
        return None, None
    A, B = game.payoffs[0], game.payoffs[1]
    products = []
    for k in strict:
        r, c = equilibria[k].pure_profile
        products.append((A[r, c] - A[1 - r, c]) * (B[r, c] - B[r, 1 - c]))
    if products[0] == products[1]:
        return None, tuple(products)
    return (strict[0] if products[0] > products[1] else strict[1]), tuple(products)


def selection_facts(game: NormalFormGame, equilibria: Sequence[Equilibrium]) -> SelectionFacts:
    """Strictness, Pareto comparisons, payoff and risk dominance, logit tracing, and weak-dominance use."""
    facts = []
    for k, eq in enumerate(equilibria):
        dominated_by = tuple(j for j, other in enumerate(equilibria) if pareto_dominates(other.payoffs, eq.payoffs))
        weak = tuple(i for i in range(game.num_players) if weakly_dominated(game, i, eq.profile[i]))
        perfect = (not weak) if game.num_players == 2 else None
        facts.append(EquilibriumFacts(k, eq.pure, is_strict(game, eq), dominated_by, weak, perfect))
    payoff_dominant = None
    if len(equilibria) > 1:
        for k, eq in enumerate(equilibria):
            if all(j == k or pareto_dominates(eq.payoffs, o.payoffs) for j, o in enumerate(equilibria)):
                payoff_dominant = k
    risk, products = risk_dominance(game, equilibria)
    return SelectionFacts(tuple(facts), payoff_dominant, risk, products, logit_selected(game, equilibria))
