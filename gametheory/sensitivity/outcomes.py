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
  equilibrium set is exactly those families;
* a name the scenario gives an equilibrium (its ``names`` key, e.g.
  ``probabilistic deterrence``, case ignored, optionally in double quotes):
  the family with that support exists, exactly as its label would say; names
  and labels may be joined by `` + `` (the set is exactly those);
* for a game tree, ``spe Europe=deploy_first`` (also ``subgame-perfect ...``):
  on the path of some subgame-perfect equilibrium Europe makes the move
  ``deploy_first`` (``every spe ...``: on the path of every one); atoms name
  a player and one of the moves of the tree (several joined by ``&``: one
  path makes them all). Read from the equilibrium paths that
  :func:`gametheory.solvers.trees.spe_label` names (:func:`spe_label_holds`).

Names are checked against the scenario, with a suggestion for a misspelling.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import InputError
from ..extensive import DECISION, TERMINAL
from ..scenario import Scenario, coerce_number
from ..scenario.common import suggest
from .labels import family_label

__all__ = ["Outcome", "label_families", "parse_outcome", "path_moves", "spe_label_holds"]

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
    #: The regime label the outcome names (a label as typed, or the labels of the names typed); else "".
    regime: str = ""
    #: Subgame perfection: ``moves`` are (player name, move) pairs one subgame-perfect path makes.
    moves: tuple[tuple[str, str], ...] = ()

    @property
    def is_regime(self) -> bool:
        return bool(self.families)

    @property
    def is_spe(self) -> bool:
        return bool(self.moves)

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
    quantifier, body = _quantifier(raw)
    for word in SPE_WORDS:
        if body.lower().startswith(word + " "):
            quantifier, body = _quantifier(body[len(word) + 1 :].strip(), quantifier)
            return _spe_outcome(scenario, raw, body, quantifier)
    named = _named_regime(scenario, body)
    if named is not None:
        return _regime_outcome(scenario, raw, named)
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


#: Words that make an outcome one of subgame perfection.
SPE_WORDS = ("spe", "subgame-perfect", "subgame perfect")


def _quantifier(text: str, default: str = "some") -> tuple[str, str]:
    """The leading ``every``/``all``/``some`` of an outcome (or ``default``) and the rest of the text."""
    for word in ("every", "some", "all"):
        if text.lower().startswith(word + " "):
            return ("every" if word in ("every", "all") else "some"), text[len(word) + 1 :].strip()
    return default, text


def _spe_outcome(scenario: Scenario, raw: str, body: str, quantifier: str) -> Outcome:
    tree = scenario.extensive
    if tree is None:
        raise InputError("subgame perfection (spe ...) is an outcome of a game tree; this scenario has none")
    moves = []
    for part in re.split(r"\s*(?:&|,|\band\b)\s*", body.strip()):
        name, sep, move = (x.strip() for x in part.partition("="))
        if not sep or not name or not move:
            raise InputError(
                f"expected spe PLAYER=MOVE (e.g. spe {tree.players[0]}={tree.root.actions[0]}), got {part!r}"
            )
        if name not in tree.players:
            raise InputError(
                f"unknown player {name!r}{suggest(name, tree.players)}; players are {', '.join(tree.players)}"
            )
        i = tree.players.index(name)
        options = sorted({a for n in tree.nodes if n.player == i and n.kind == DECISION for a in n.actions})
        if move not in options:
            raise InputError(
                f"{move!r} is not a move of {name}{suggest(move, options)}; its moves are {', '.join(options)}"
            )
        moves.append((name, move))
    return Outcome(raw, quantifier=quantifier, moves=tuple(moves))


def path_moves(tree: Any, path: str) -> set[tuple[str, str]]:
    """The (mover, move) pairs of one equilibrium path named as :func:`~gametheory.solvers.trees.spe_label`
    names it (moves joined by ``>``, in tree order; every branch of a chance node is walked)."""
    tokens = iter(path.split(">"))
    found: set[tuple[str, str]] = set()

    def walk(n: int) -> None:
        node = tree.nodes[n]
        if node.kind == TERMINAL:
            return
        if node.kind == DECISION:
            move = next(tokens)
            found.add((tree.players[node.player], move))
            walk(node.children[node.actions.index(move)])
            return
        for child in node.children:
            next(tokens)
            walk(child)

    walk(0)
    return found


def spe_label_holds(outcome: Outcome, tree: Any, label: str) -> bool:
    """Whether a subgame-perfect outcome (a :func:`~gametheory.solvers.trees.spe_label`: paths joined by
    `` + ``) has some (``every``: only) paths that make all of ``outcome.moves``."""
    verdicts = [set(outcome.moves) <= path_moves(tree, path) for path in label.split(" + ") if path]
    return (bool(verdicts) and all(verdicts)) if outcome.quantifier == "every" else any(verdicts)


def _regime_outcome(scenario: Scenario, raw: str, body: str) -> Outcome:
    families = label_families(body, scenario.strategies)
    counts: dict[str, int] = {}
    for name, _ in families:
        counts[name] = counts.get(name, 0) + 1
    return Outcome(raw, families=tuple(counts.items()), exact_regime=" + " in body, regime=body)


def _named_regime(scenario: Scenario, body: str) -> str | None:
    """The regime label that ``body`` says with the scenario's equilibrium names (``nobody moves``,
    ``"nobody moves" + probabilistic deterrence``), or None when it uses none of them.

    A part with neither ``=`` nor ``(`` that is not a name is refused with the names (and a
    suggestion), since it is neither PLAYER=STRATEGY nor a label.
    """
    if not scenario.names:
        return None
    by_case = {name.lower(): name for name in scenario.names}
    parts = [part.strip().strip('"').strip() for part in body.split(" + ")]
    known = [by_case.get(part.lower()) for part in parts]
    if not any(known):
        if "=" not in body and "(" not in body:
            raise InputError(_not_a_name(body, scenario))
        return None
    labels = []
    for part, name in zip(parts, known, strict=True):
        if name is None and not part.startswith(("pure(", "mixed(", "continuum(")):
            raise InputError(_not_a_name(part, scenario))
        labels.append(part if name is None else _name_label(scenario, name))
    return " + ".join(labels)


def _not_a_name(text: str, scenario: Scenario) -> str:
    return (
        f"expected PLAYER=STRATEGY, a regime label or an equilibrium's name, got {text!r}"
        f"{suggest(text, scenario.names)}; the scenario names {', '.join(repr(n) for n in scenario.names)}"
    )


def _name_label(scenario: Scenario, name: str) -> str:
    """The family label of the support the scenario calls ``name``."""
    support = tuple(
        tuple(scenario.strategies[i].index(s) for s in strategies) for i, strategies in enumerate(scenario.names[name])
    )
    return family_label(scenario.strategies, support)


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
