"""Outcomes an analyst asks about, and whether they hold in a solved game or a regime.

The grammar of :func:`parse_outcome`:

* ``Europe=deploy``: some equilibrium gives deploy a positive probability;
* ``Europe=deploy & Russia=accept`` (also ``,``): one equilibrium does both;
* ``every Europe=deploy``: every equilibrium does (there is at least one);
  ``some ...`` is the default, said explicitly;
* ``P(Europe=deploy)>=1/2`` (or ``>``): some equilibrium plays deploy with at
  least that probability (``every P(...)>=1/2``: every equilibrium does);
* a regime label, ``pure(deploy,accept,backstop)``: that equilibrium family
  exists; several joined by `` + `` (``pure(a,b) + mixed(a,b|c,d)``): the
  equilibrium set is exactly those families.

Names are checked against the scenario, with a suggestion for a misspelling.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import InputError
from ..scenario import Scenario, coerce_number
from ..scenario.common import suggest

__all__ = ["Outcome", "label_families", "parse_outcome"]

_PROBABILITY = re.compile(r"^P\s*\((?P<inner>[^)]*)\)\s*(?P<op>>=|>)\s*(?P<value>\S+)$")
_FAMILY = re.compile(r"^(?:(?P<count>\d+)\*)?(?P<kind>pure|mixed|continuum)\((?P<body>.*)\)$")


@dataclass(frozen=True)
class Outcome:
    """A parsed outcome: ``atoms`` are (player index, strategy index) pairs that one equilibrium plays
    with positive probability; ``quantifier`` is ``"some"`` or ``"every"``; ``at_least`` (with
    ``strict``) bounds the probability of the single atom; ``families`` names a regime instead
    (family labels, each with its count), and ``exact_regime`` says the set must be exactly those."""

    text: str
    atoms: tuple[tuple[int, int], ...] = ()
    quantifier: str = "some"
    at_least: Fraction | None = None
    strict: bool = False
    families: tuple[tuple[str, int], ...] = ()
    exact_regime: bool = False

    @property
    def is_regime(self) -> bool:
        return bool(self.families)

    def family_holds(self, label: str, support: Sequence[Sequence[int]]) -> bool:
        """Whether an equilibrium with this family label and support has the outcome's strategies
        (the probability bound, if any, is checked separately)."""
        if self.is_regime:
            return any(name == label for name, _ in self.families)
        return all(s in support[i] for i, s in self.atoms)

    def holds(self, equilibria: Sequence[tuple[str, Sequence[Sequence[int]], Any]]) -> bool:
        """Whether the outcome holds for a whole equilibrium set, given as (family label, support,
        profile) triples (profile: probabilities; None when only the support is known)."""
        if self.is_regime:
            return _regime_holds(self, [label for label, _, _ in equilibria])
        verdicts = [self._one(label, support, profile) for label, support, profile in equilibria]
        if self.quantifier == "every":
            return bool(verdicts) and all(verdicts)
        return any(verdicts)

    def _one(self, label: str, support: Sequence[Sequence[int]], profile: Any) -> bool:
        if not self.family_holds(label, support):
            return False
        if self.at_least is None:
            return True
        ((i, s),) = self.atoms
        p = profile[i][s]
        return p > self.at_least if self.strict else p >= self.at_least


def _regime_holds(outcome: Outcome, labels: Sequence[str]) -> bool:
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    wanted = dict(outcome.families)
    if outcome.exact_regime:
        return counts == wanted
    return all(counts.get(name, 0) >= k for name, k in wanted.items())


def label_families(label: str, strategies: Sequence[Sequence[str]]) -> list[tuple[str, tuple[tuple[int, ...], ...]]]:
    """The families a regime label names, each with its support (strategy indices), repeated by count.

    ``continuum(...)`` parts count as one family with the union support. ``none`` is empty.
    """
    out: list[tuple[str, tuple[tuple[int, ...], ...]]] = []
    if label in ("none", ""):
        return out
    for part in label.split(" + "):
        match = _FAMILY.match(part.strip())
        if match is None:
            raise InputError(f"not a regime label: {part!r}")
        body = match["body"]
        players = body.split("|") if match["kind"] != "pure" else [[name] for name in body.split(",")]
        support = []
        for i, names in enumerate(players):
            names = names.split(",") if isinstance(names, str) else names
            try:
                support.append(tuple(strategies[i].index(n) for n in names))
            except (ValueError, IndexError):
                raise InputError(f"{part!r} does not name strategies of this game") from None
        name = f"{match['kind']}({body})"
        out += [(name, tuple(support))] * int(match["count"] or 1)
    return out


# ------------------------------------------------------------------- parsing
def parse_outcome(scenario: Scenario, text: str) -> Outcome:
    """The :class:`Outcome` a text names (see the module docstring for the grammar)."""
    raw = " ".join(text.split())
    if not raw:
        raise InputError("--outcome is empty: give e.g. Europe=deploy")
    quantifier = "some"
    body = raw
    for word in ("every", "some", "all"):
        if body.lower().startswith(word + " "):
            quantifier = "every" if word in ("every", "all") else "some"
            body = body[len(word) + 1 :].strip()
            break
    if body.startswith(("pure(", "mixed(", "continuum(")) or re.match(r"^\d+\*", body):
        return _regime_outcome(scenario, raw, body)
    probability = _PROBABILITY.match(body)
    if probability is not None:
        atoms = _atoms(scenario, probability["inner"])
        if len(atoms) != 1:
            raise InputError(f"P(...) takes one player=strategy, got {probability['inner']!r}")
        bound = coerce_number(probability["value"], what="probability bound")
        if not 0 <= bound <= 1:
            raise InputError(f"a probability bound lies between 0 and 1, got {probability['value']}")
        return Outcome(raw, atoms, quantifier, Fraction(bound), probability["op"] == ">")
    return Outcome(raw, _atoms(scenario, body), quantifier)


def _regime_outcome(scenario: Scenario, raw: str, body: str) -> Outcome:
    families = label_families(body, scenario.strategies)
    counts: dict[str, int] = {}
    for name, _ in families:
        counts[name] = counts.get(name, 0) + 1
    return Outcome(raw, families=tuple(counts.items()), exact_regime=" + " in body)


def _atoms(scenario: Scenario, text: str) -> tuple[tuple[int, int], ...]:
    players = scenario.player_names
    atoms = []
    for part in re.split(r"\s*(?:&|,|\band\b)\s*", text.strip()):
        name, sep, strategy = part.partition("=")
        name, strategy = name.strip(), strategy.strip()
        if not sep or not name or not strategy:
            raise InputError(f"expected PLAYER=STRATEGY (e.g. {players[0]}={scenario.strategies[0][0]}), got {part!r}")
        if name not in players:
            raise InputError(f"unknown player {name!r}{suggest(name, players)}; players are {', '.join(players)}")
        i = players.index(name)
        options = scenario.strategies[i]
        if strategy not in options:
            raise InputError(
                f"{strategy!r} is not a strategy of {name}{suggest(strategy, options)}; "
                f"its strategies are {', '.join(options)}"
            )
        atoms.append((i, options.index(strategy)))
    return tuple(atoms)
