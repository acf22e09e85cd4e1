"""Solvers: one module per family, and :func:`solve`, which picks one and certifies its output.

=================  ==========================================================
method             what it computes
=================  ==========================================================
``"auto"``         every equilibrium: ``"enumerate"`` for 2 players,
                   ``"polynomial"`` for 3 or more
``"pure"``         every pure equilibrium (fast, vectorised; says nothing of
                   mixed ones)
``"enumerate"``    2 players: every extreme equilibrium, exact, grouped into
                   components (:mod:`.bimatrix`)
``"polynomial"``   N players: support enumeration with polynomial
                   indifference systems (:mod:`.polynomial`)
``"lh"``           2 players: Lemke-Howson from every starting label (fast,
                   may miss equilibria)
``"logit"``        N players: the one equilibrium selected by logit QRE path
                   following (:mod:`.logit`; fast on large games)
=================  ==========================================================

Whatever the method, every profile it returns is checked by
:func:`gametheory.certify.certify`, code that shares nothing with the solver;
a profile that fails is dropped and counted in ``Solution.rejected``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .._limits import check_deadline, check_timeout, time_left
from ..certify import certify_all
from ..errors import GameTooLargeError, InputError
from ..game import NormalFormGame, expected_payoffs
from ..solution import Enumeration, Equilibrium, PolynomialStats, Solution
from .pure import best_response_mask

METHODS = ("auto", "pure", "enumerate", "polynomial", "lh", "logit")


def _method_function(method: str, game: NormalFormGame) -> tuple[str, Callable[..., Enumeration], str]:
    """Resolve a method name to (name, function, scope), importing the solver module lazily."""
    if method == "auto":
        method = "enumerate" if game.num_players == 2 else "polynomial"
    if method == "pure":
        from .pure import enumerate_pure

        return method, enumerate_pure, "pure"
    if method in ("enumerate", "lh") and game.num_players != 2:
        raise InputError(f"method {method!r} is for 2-player games; this game has {game.num_players} players")
    if method == "enumerate":
        from .bimatrix import enumerate_bimatrix

        return method, enumerate_bimatrix, "all"
    if method == "lh":
        from .bimatrix import lemke_howson_all

        return method, lemke_howson_all, "one"
    if method == "polynomial":
        from .polynomial import enumerate_polynomial

        return method, enumerate_polynomial, "all"
    if method == "logit":
        from .logit import logit_solve

        return method, logit_solve, "one"
    raise InputError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")


#: Above these sizes a request for *all* equilibria is refused up front (unless a
#: time limit is given): the work grows exponentially with the number of strategies.
MAX_BIMATRIX_MIN_SIDE = 15
MAX_SUPPORT_PROFILES = 200_000


def _refuse_if_too_large(game: NormalFormGame, method: str) -> None:
    """Say up front when enumerating every equilibrium is out of reach, and what to do instead."""
    shape = "x".join(str(n) for n in game.shape)
    if method == "enumerate" and min(game.shape) > MAX_BIMATRIX_MIN_SIDE:
        raise GameTooLargeError(
            f"a {shape} game is too large to enumerate all equilibria in reasonable time (the number of "
            f"vertices to visit grows exponentially with the smaller side, here {min(game.shape)} > "
            f"{MAX_BIMATRIX_MIN_SIDE}); use --method lh (Lemke-Howson, some equilibria quickly) or --method logit, "
            "or give --timeout SECONDS to try anyway"
        )
    if method == "polynomial":
        supports = 1
        for n in game.shape:
            supports *= 2**n - 1
        if supports > MAX_SUPPORT_PROFILES:
            raise GameTooLargeError(
                f"a {shape} game has {supports:,} support profiles to examine, beyond what enumeration can do in "
                f"reasonable time (limit {MAX_SUPPORT_PROFILES:,}); use --method logit (one equilibrium, the "
                "logit selection) or --method pure, or give --timeout SECONDS to try anyway"
            )


def solve(
    game: NormalFormGame,
    method: str = "auto",
    *,
    timeout: float | None = None,
    tolerance: float | None = None,
) -> Solution:
    """Find the equilibria of ``game`` with ``method`` and certify each one.

    Returns a frozen :class:`~gametheory.solution.Solution`: its
    ``equilibria`` are only those that passed the independent regret check
    (exactly zero regret for exact results); ``complete`` is True only when the
    method proves nothing was missed within its ``scope``.
    """
    timeout = check_timeout(timeout)
    if timeout is None and time_left() is not None:  # inside a phase with a deadline (a subgame of a tree)
        check_deadline()
        timeout = time_left()
    name, function, scope = _method_function(method, game)
    if timeout is None:
        _refuse_if_too_large(game, name)
    start = time.perf_counter()
    kwargs = {"timeout": timeout} if timeout is not None and name in ("polynomial", "enumerate", "lh", "logit") else {}
    found = function(game, **kwargs)
    equilibria = []
    rejected = 0
    forms = found.stats.exact_forms if isinstance(found.stats, PolynomialStats) else None
    certificates = certify_all(game, found.profiles, tolerance)
    for k, (profile, component, cert) in enumerate(zip(found.profiles, found.components, certificates)):
        if not cert.ok:
            rejected += 1
            continue
        algebraic = None
        if not cert.exact and forms is not None and k < len(forms) and forms[k] is not None:
            algebraic = tuple(tuple(str(t) for t in player) for player in forms[k])
        equilibria.append(
            Equilibrium(
                profile=tuple(tuple(p) for p in profile),
                payoffs=cert.payoffs or expected_payoffs(game, profile),
                exact=cert.exact,
                max_regret=cert.max_regret,
                # Components are stated only when proven: an incomplete list may miss what joins two of them.
                component=component if scope == "all" and found.complete else None,
                method=found.method,
                algebraic=algebraic,
            )
        )
    notes = list(found.notes)
    if rejected:
        notes.append(f"{rejected} candidate profile(s) failed the regret check and were dropped")
    return Solution(
        game=game,
        equilibria=tuple(equilibria),
        scope=scope,
        method=found.method,
        complete=found.complete and rejected == 0,
        exact=found.exact,
        notes=tuple(notes),
        rejected=rejected,
        stats=found.stats,
        best_responses=best_response_mask(game),
        elapsed=time.perf_counter() - start,
    )
