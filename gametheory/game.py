"""The one game representation every solver works on: an N-player normal-form game.

Convention (the only one in this project)
-----------------------------------------
``game.payoffs`` is a numpy array of shape ``(N, n_0, n_1, ..., n_{N-1})``:
``game.payoffs[i][a_0, ..., a_{N-1}]`` is the payoff of player ``i`` when player
``j`` plays its strategy number ``a_j``. Players and strategies keep the order in
which the scenario file lists them. This is Gambit's ``Game.from_arrays``
convention; nashpy's bimatrix ``(A, B)`` is ``(payoffs[0], payoffs[1])``.

Exactness
---------
When every payoff is rational the array has ``dtype=object`` and holds
:class:`fractions.Fraction` values, and every solver then works in exact
arithmetic. Otherwise it is ``float64``. ``game.exact`` tells which.

Mixed profiles
--------------
A mixed strategy profile is a sequence with one probability vector per player
(``profile[i][k]`` = probability that player ``i`` plays strategy ``k``),
Fractions for exact results, floats otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from numbers import Rational

import numpy as np

from . import display
from .errors import InputError

Number = Fraction | float
MixedProfile = tuple[tuple[Number, ...], ...]


def as_exact(value: object) -> Fraction | None:
    """Return ``value`` as a Fraction if it is rational (int, Fraction, numpy int), else None."""
    if isinstance(value, bool):
        return Fraction(int(value))
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    if isinstance(value, Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    return None


def common_denominator(values: Sequence[int | Fraction]) -> tuple[list[int], int]:
    """Rationals as integers over their least common denominator: ``values[k] == nums[k] / den``, ``den > 0``.

    Exact arithmetic on the integers is many times faster than on Fractions
    (no gcd after every operation); certification and the exact solvers use it.
    """
    den = math.lcm(1, *(v.denominator for v in values))
    return [v.numerator * (den // v.denominator) for v in values], den


def payoff_array(values: object) -> np.ndarray:
    """Build a payoff array: object dtype of Fractions if every entry is rational, else float64.

    Non-finite floats are refused with an :class:`InputError`.
    """
    raw = np.asarray(values, dtype=object)
    flat = raw.ravel()
    exact = [as_exact(v) for v in flat]
    if all(e is not None for e in exact):
        out = np.empty(raw.shape, dtype=object)
        out.ravel()[:] = exact
        # ravel() of a fresh contiguous array is a view, so the assignment above fills `out`.
        return out
    floats = np.asarray([float(v) for v in flat], dtype=float).reshape(raw.shape)
    if not np.all(np.isfinite(floats)):
        raise InputError("payoffs must be finite numbers")
    return floats


@dataclass(frozen=True, eq=False)
class NormalFormGame:
    """An N-player game in normal (strategic) form.

    Build one with :meth:`from_arrays` (one payoff array per player) or from a
    scenario with :func:`gametheory.scenario.Scenario.bind`. Instances are
    immutable; derived games (restrictions, conversions) are new objects.
    """

    payoffs: np.ndarray
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    title: str = ""
    parameters: dict = field(default_factory=dict)
    observers: tuple[str, ...] = ()
    observer_payoffs: np.ndarray | None = None
    #: Names of equilibria by support (strategy names per player) that renderers show: the scenario's ``names``.
    names: Mapping[tuple[tuple[str, ...], ...], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        arr = self.payoffs
        if not isinstance(arr, np.ndarray) or arr.ndim < 2:
            raise InputError("payoffs must be an array of shape (N, n_0, ..., n_{N-1})")
        n = arr.shape[0]
        if arr.ndim != n + 1:
            raise InputError(f"payoffs for {n} players must have {n + 1} dimensions, got {arr.ndim}")
        if len(self.players) != n:
            raise InputError(f"{len(self.players)} player names for {n} players")
        if len(set(self.players)) != n:
            raise InputError("player names must be distinct")
        if tuple(len(s) for s in self.strategies) != arr.shape[1:]:
            raise InputError(
                f"strategy lists of sizes {[len(s) for s in self.strategies]} do not match payoff shape {arr.shape[1:]}"
            )
        for name, strats in zip(self.players, self.strategies):
            if len(strats) == 0:
                raise InputError(f"player {name!r} has no strategies")
            if len(set(strats)) != len(strats):
                raise InputError(f"player {name!r} has duplicate strategy names")
        if self.observers:
            obs = self.observer_payoffs
            if obs is None or obs.shape != (len(self.observers), *arr.shape[1:]):
                raise InputError("observer payoffs must have shape (number of observers, *game shape)")

    # ------------------------------------------------------------------ builders
    @classmethod
    def from_arrays(
        cls,
        *arrays: object,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ) -> NormalFormGame:
        """Build a game from one payoff array per player (all of the same shape).

        >>> g = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> g.shape, g.exact
        ((2, 2), True)
        """
        arrs = [np.asarray(a, dtype=object) for a in arrays]
        if not arrs:
            raise InputError("at least one payoff array is needed")
        shape = arrs[0].shape
        if any(a.shape != shape for a in arrs):
            raise InputError("all payoff arrays must have the same shape")
        if len(shape) != len(arrs):
            raise InputError(f"{len(arrs)} players need {len(arrs)}-dimensional payoff arrays, got shape {shape}")
        payoffs = payoff_array(np.stack(arrs))
        n = len(arrs)
        players = tuple(players) if players is not None else tuple(f"Player {i + 1}" for i in range(n))
        if strategies is None:
            strategies = [tuple(str(k + 1) for k in range(m)) for m in shape]
        return cls(payoffs, tuple(players), tuple(tuple(s) for s in strategies), title)

    # ------------------------------------------------------------- basic facts
    @property
    def num_players(self) -> int:
        return self.payoffs.shape[0]

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of strategies of each player."""
        return tuple(self.payoffs.shape[1:])

    @property
    def exact(self) -> bool:
        """True when payoffs are exact rationals (Fractions)."""
        return self.payoffs.dtype == object

    @property
    def num_profiles(self) -> int:
        return int(np.prod(self.shape))

    @cached_property
    def float_payoffs(self) -> np.ndarray:
        """The payoffs as a float64 array (same shape)."""
        return np.asarray(self.payoffs, dtype=float)

    def profiles(self) -> Iterator[tuple[int, ...]]:
        """All pure strategy profiles, in lexicographic order of the file."""
        return np.ndindex(*self.shape)

    def profile_names(self, profile: Sequence[int]) -> tuple[str, ...]:
        return tuple(self.strategies[i][a] for i, a in enumerate(profile))

    def player_index(self, name: str) -> int:
        try:
            return self.players.index(name)
        except ValueError:
            raise InputError(f"unknown player {name!r}; players are {', '.join(self.players)}") from None

    # ---------------------------------------------------------------- display
    def __repr__(self) -> str:
        return display.render(self, "text") or object.__repr__(self)

    def _repr_html_(self) -> str | None:
        return display.render(self, "html")

    def _repr_latex_(self) -> str | None:
        return display.render(self, "latex")

    # ---------------------------------------------------------- derived games
    def restrict(self, kept: Sequence[Sequence[int]]) -> NormalFormGame:
        """The game in which player ``i`` may only use the strategies ``kept[i]`` (in that order)."""
        arr = self.payoffs
        for axis, idx in enumerate(kept):
            arr = np.take(arr, list(idx), axis=axis + 1)
        obs = self.observer_payoffs
        if obs is not None:
            for axis, idx in enumerate(kept):
                obs = np.take(obs, list(idx), axis=axis + 1)
        strategies = tuple(tuple(self.strategies[i][k] for k in idx) for i, idx in enumerate(kept))
        return NormalFormGame(
            arr, self.players, strategies, self.title, dict(self.parameters), self.observers, obs, self.names
        )

    def to_float(self) -> NormalFormGame:
        """The same game with float payoffs."""
        if not self.exact:
            return self
        obs = None if self.observer_payoffs is None else np.asarray(self.observer_payoffs, dtype=float)
        return NormalFormGame(
            self.float_payoffs.copy(),
            self.players,
            self.strategies,
            self.title,
            dict(self.parameters),
            self.observers,
            obs,
            self.names,
        )


# --------------------------------------------------------------------------- profiles
def uniform_profile(game: NormalFormGame) -> MixedProfile:
    """Every player mixes uniformly (exact)."""
    return tuple(tuple(Fraction(1, n) for _ in range(n)) for n in game.shape)


def pure_profile(game: NormalFormGame, profile: Sequence[int]) -> MixedProfile:
    """The mixed-profile form of a pure profile (unit vectors, exact)."""
    return tuple(tuple(Fraction(1) if k == a else Fraction(0) for k in range(n)) for a, n in zip(profile, game.shape))


def _contract_others(game: NormalFormGame, profile: Sequence[Sequence[Number]], player: int, exact: bool) -> np.ndarray:
    arr = game.payoffs[player] if exact else game.float_payoffs[player]
    for j in reversed(range(game.num_players)):
        if j == player:
            continue
        p = np.asarray(list(profile[j]), dtype=object if exact else float)
        arr = np.tensordot(arr, p, axes=([j], [0]))
    return arr


def _profile_is_exact(profile: Sequence[Sequence[Number]]) -> bool:
    return all(as_exact(x) is not None for p in profile for x in p)


def strategy_payoffs(game: NormalFormGame, profile: Sequence[Sequence[Number]], player: int) -> np.ndarray:
    """Payoff to ``player`` of each of its pure strategies when the others play ``profile``.

    Exact (object array of Fractions) when the game and the profile are exact.
    """
    exact = game.exact and _profile_is_exact(profile)
    return _contract_others(game, profile, player, exact)


def expected_payoffs(game: NormalFormGame, profile: Sequence[Sequence[Number]]) -> tuple[Number, ...]:
    """Each player's expected payoff under the mixed profile."""
    out = []
    for i in range(game.num_players):
        vec = strategy_payoffs(game, profile, i)
        out.append(sum((x * v for x, v in zip(profile[i], vec)), Fraction(0) if vec.dtype == object else 0.0))
    return tuple(out)


def observer_payoffs(game: NormalFormGame, profile: Sequence[Sequence[Number]]) -> tuple[Number, ...]:
    """Expected payoff of each observer (non-strategic payoff column) under the mixed profile."""
    if game.observer_payoffs is None:
        return ()
    exact = game.exact and _profile_is_exact(profile)
    out: list[Number] = []
    for k in range(len(game.observers)):
        arr = game.observer_payoffs[k] if exact else np.asarray(game.observer_payoffs[k], dtype=float)
        for j in reversed(range(game.num_players)):
            arr = np.tensordot(arr, np.asarray(list(profile[j]), dtype=object if exact else float), axes=([j], [0]))
        out.append(arr.item())  # a 0-d array: a game has at least one player, so tensordot ran
    return tuple(out)
