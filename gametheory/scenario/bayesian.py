"""Reading Bayesian games out of scenario files (``"form": "bayesian"``) into a
:class:`~gametheory.bayesian.BayesianGame`, and the pieces of a scenario built from one.

:func:`parse_bayesian` validates the players' actions and types, nature, the
prior and the payoffs per type profile (see docs/reference/scenario-format.md);
:func:`bayesian_form` builds the ex-ante normal form (Harsanyi) whose payoffs a
:class:`~gametheory.scenario.model.Scenario` holds; :func:`bayesian_tree` draws
the same game as a game tree (for ``.efg`` export).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..bayesian import BayesianGame
from ..errors import GameTooLargeError, InputError
from ..expressions import parse_expression
from ..extensive import Tree, weighted_sum
from .common import check_payoff_names, description_text, located_expression, suggest
from .model import Player
from .tree import parse_tree

__all__ = ["bayesian_form", "bayesian_tree", "parse_bayesian"]

#: Most cells of the ex-ante normal form.
MAX_PROFILES = 250_000
#: Most type profiles.
MAX_TYPE_PROFILES = 10_000


def _types(items: list, where: str) -> tuple[list[str], list[str], list[Any]]:
    names, descriptions, priors = [], [], []
    for k, item in enumerate(items):
        name = item if isinstance(item, str) else item["name"]
        if name in names:
            raise InputError(f"duplicate type name {name!r}", path=f"{where}[{k}]")
        names.append(name)
        descriptions.append("" if isinstance(item, str) else description_text(item.get("description")))
        priors.append(None if isinstance(item, str) else item.get("prior"))
    return names, descriptions, priors


@dataclass
class _TypeDimensions:
    """The dimensions of a type profile in file order (players with types, then nature's entries):
    each one's name, type names and descriptions, the priors given per type (None where not) and
    the JSON path of its types."""

    names: list[str] = field(default_factory=list)
    types: list[tuple[str, ...]] = field(default_factory=list)
    descriptions: list[tuple[str, ...]] = field(default_factory=list)
    priors: list[list[Any]] = field(default_factory=list)
    where: list[str] = field(default_factory=list)

    def add(self, name: str, items: list, where: str) -> None:
        """Read the types of ``name`` from ``items`` (the ``types`` list at ``where``)."""
        type_names, descriptions, priors = _types(items, where)
        self.names.append(name)
        self.types.append(tuple(type_names))
        self.descriptions.append(tuple(descriptions))
        self.priors.append(priors)
        self.where.append(where)


def parse_bayesian(
    data: Mapping[str, Any], players: Sequence[str], observers: Sequence[str], names: Collection[str]
) -> BayesianGame:
    """Validate the Bayesian parts of a scenario file (players' actions and types, nature,
    prior, payoffs per type profile); see docs/reference/scenario-format.md.

    ``names`` are the parameter and derived names that priors and payoffs may use.
    Every error names the JSON path of the entry at fault, so that a file's
    author can find it.
    """
    for key in ("matrix", "tree", "nodes"):
        if key in data:
            raise InputError(f"a bayesian file has no {key!r}: give 'payoffs' rows per type profile", path=f"$.{key}")
    dims = _TypeDimensions()
    actions = _player_actions(data["players"], dims)
    everyone = list(players) + list(observers)
    for k, item in enumerate(data.get("nature", [])):
        where = f"$.nature[{k}]"
        name = item["name"]
        if name in everyone or name in dims.names:
            raise InputError(f"nature entry {name!r} has the name of a player or another entry", path=f"{where}.name")
        dims.add(name, item["types"], f"{where}.types")
    count = math.prod(len(t) for t in dims.types)
    if count > MAX_TYPE_PROFILES:
        raise InputError(f"{count} type profiles; the limit is {MAX_TYPE_PROFILES}", path="$.players")
    prior_paths: dict[Any, str] = {}
    if "prior" in data:
        priors, joint = None, _joint_prior(data["prior"], dims, names, prior_paths)
    else:
        priors, joint = _independent_priors(dims, names, prior_paths), None
    payoffs = _payoff_cells(data["payoffs"], players, everyone, actions, dims, names)
    _check_every_payoff(payoffs, everyone, actions, dims)
    return BayesianGame(
        players=tuple(players),
        observers=tuple(observers),
        actions=tuple(actions),
        dimensions=tuple(dims.names),
        type_names=tuple(dims.types),
        type_descriptions=tuple(dims.descriptions),
        priors=priors,
        joint=joint,
        payoffs={k: tuple(v) for k, v in payoffs.items()},
        prior_paths=prior_paths,
    )


def _player_actions(items: list, dims: _TypeDimensions) -> list[tuple[str, ...]]:
    """Each player's action names (checked); the types of players that have them are added to ``dims``."""
    actions = []
    for k, item in enumerate(items):
        where = f"$.players[{k}]"
        if "strategies" in item:
            raise InputError(
                "players of a bayesian game list 'actions' (what each type can do); their strategies are "
                "the type-contingent plans built from them",
                path=f"{where}.strategies",
            )
        acts = [a if isinstance(a, str) else a["name"] for a in item["actions"]]
        for j, a in enumerate(acts):
            if a in acts[:j]:
                raise InputError(f"duplicate action name {a!r}", path=f"{where}.actions[{j}]")
            if "/" in a:
                raise InputError(
                    f"action name {a!r} may not contain '/' (it separates the types in plan names)",
                    path=f"{where}.actions[{j}]",
                )
        actions.append(tuple(acts))
        if "types" in item:
            dims.add(item["name"], item["types"], f"{where}.types")
    return actions


def _joint_prior(rows: list, dims: _TypeDimensions, names: Collection[str], prior_paths: dict[Any, str]) -> dict:
    """The joint prior table: type profile -> probability expression (each path noted in ``prior_paths``).
    A prior per type besides it is an error."""
    for d, tp in enumerate(dims.priors):
        for k, p in enumerate(tp):
            if p is not None:
                raise InputError(
                    "give either a prior per type or a joint 'prior' table, not both",
                    path=f"{dims.where[d]}[{k}].prior",
                )
    joint = {}
    for r, row in enumerate(rows):
        where = f"$.prior[{r}]"
        key = _type_profile(row["types"], dims.names, dims.types, f"{where}.types", require_all=True)
        if key in joint:
            raise InputError("this type profile already has a probability", path=f"{where}.types")
        joint[key] = located_expression(row["probability"], names, f"{where}.probability")
        prior_paths[key] = f"{where}.probability"
    return joint


def _independent_priors(dims: _TypeDimensions, names: Collection[str], prior_paths: dict[Any, str]) -> tuple:
    """One prior per type of every dimension (a dimension with a single type may leave it out: 1);
    the paths are noted in ``prior_paths``."""
    priors = []
    for d, tp in enumerate(dims.priors):
        prior_paths[d] = dims.where[d]
        if len(tp) == 1 and tp[0] is None:
            tp = [1]
        exprs = []
        for k, p in enumerate(tp):
            path = f"{dims.where[d]}[{k}].prior"
            if p is None:
                raise InputError(
                    f"type {dims.types[d][k]!r} of {dims.names[d]} has no 'prior' (or give a joint 'prior' table)",
                    path=path,
                )
            exprs.append(located_expression(p, names, path))
            prior_paths[(d, k)] = path
        priors.append(tuple(exprs))
    return tuple(priors)


def _payoff_cells(
    rows: list,
    players: Sequence[str],
    everyone: list[str],
    actions: list[tuple[str, ...]],
    dims: _TypeDimensions,
    names: Collection[str],
) -> dict[tuple[tuple[int, ...], tuple[int, ...]], list]:
    """The payoff expressions per (type profile, action profile), one entry per row of ``everyone``.

    A row applies to every type profile that matches the types it names; a
    payoff given twice for the same cell is an error that names both places.
    """
    payoffs: dict[tuple[tuple[int, ...], tuple[int, ...]], list] = {}
    given_at: dict[tuple, str] = {}
    type_profiles = list(itertools.product(*[range(len(t)) for t in dims.types]))
    for r, row in enumerate(rows):
        where = f"$.payoffs[{r}]"
        profile = row["profile"]
        act = _row_actions(profile, players, actions, where)
        partial = _type_profile(row.get("types", {}), dims.names, dims.types, f"{where}.types", require_all=False)
        parsed = _row_payoffs(row["payoffs"], everyone, names, where)
        for t in type_profiles:
            if any(p is not None and p != x for p, x in zip(partial, t)):
                continue
            cell = payoffs.setdefault((t, act), [None] * len(everyone))
            for k, expr, path in parsed:
                key = (t, act, k)
                if cell[k] is not None:
                    raise InputError(
                        f"the payoff of {everyone[k]} for types ({_types_text(t, dims.names, dims.types)}) and actions "
                        f"({', '.join(profile)}) is already given at {given_at[key]}",
                        path=path,
                    )
                cell[k] = expr
                given_at[key] = path
    return payoffs


def _row_actions(profile: list, players: Sequence[str], actions: list[tuple[str, ...]], where: str) -> tuple[int, ...]:
    """A payoff row's action profile as action indices (one known action per player)."""
    if len(profile) != len(players):
        raise InputError(
            f"profile has {len(profile)} actions but the game has {len(players)} players ({', '.join(players)})",
            path=f"{where}.profile",
        )
    act = []
    for i, (player, a) in enumerate(zip(players, profile)):
        if a not in actions[i]:
            raise InputError(
                f"{a!r} is not an action of {player}{suggest(a, actions[i])}; its actions are {', '.join(actions[i])}",
                path=f"{where}.profile[{i}]",
            )
        act.append(actions[i].index(a))
    return tuple(act)


def _row_payoffs(values: Any, everyone: list[str], names: Collection[str], where: str) -> list[tuple[int, Any, str]]:
    """A payoff row's payoffs as (row index, expression, path): a list for everyone, or an object
    that may give some players only (the others come from rows for other types)."""
    if isinstance(values, list):
        if len(values) != len(everyone):
            raise InputError(
                f"expected {len(everyone)} payoffs ({', '.join(everyone)}), found {len(values)}",
                path=f"{where}.payoffs",
            )
        items = [(k, v, f"{where}.payoffs[{k}]") for k, v in enumerate(values)]
    else:
        check_payoff_names(values, list(everyone), f"{where}.payoffs", complete=False)
        items = [(everyone.index(name), v, f"{where}.payoffs.{name}") for name, v in values.items()]
    return [(k, located_expression(v, names, path), path) for k, v, path in items]


def _check_every_payoff(
    payoffs: Mapping, everyone: list[str], actions: list[tuple[str, ...]], dims: _TypeDimensions
) -> None:
    """Every payoff of everyone is given for every type profile and action profile."""
    shape = tuple(len(a) for a in actions)
    for t in itertools.product(*[range(len(types)) for types in dims.types]):
        for a in itertools.product(*[range(n) for n in shape]):
            cell = payoffs.get((t, a))
            missing = [everyone[k] for k in range(len(everyone)) if cell is None or cell[k] is None]
            if missing:
                acts = ", ".join(actions[i][x] for i, x in enumerate(a))
                raise InputError(
                    f"no payoff for {', '.join(missing)} when the types are ({_types_text(t, dims.names, dims.types)}) "
                    f"and the actions ({acts})",
                    path="$.payoffs",
                )


def _types_text(t: tuple[int, ...], dims, type_names) -> str:
    return ", ".join(f"{d} {type_names[k][x]}" for k, (d, x) in enumerate(zip(dims, t))) or "no types"


def _type_profile(raw: Mapping[str, str], dims, type_names, where: str, *, require_all: bool) -> tuple:
    out: list[int | None] = [None] * len(dims)
    for name, tname in raw.items():
        if name not in dims:
            raise InputError(
                f"{name!r} has no types{suggest(name, dims)}; "
                f"players and nature entries with types: {', '.join(dims) or '(none)'}",
                path=f"{where}.{name}",
            )
        d = dims.index(name)
        if tname not in type_names[d]:
            raise InputError(
                f"{tname!r} is not a type of {name}{suggest(tname, type_names[d])}; its types are {', '.join(type_names[d])}",
                path=f"{where}.{name}",
            )
        out[d] = type_names[d].index(tname)
    if require_all and any(x is None for x in out):
        missing = [d for d, x in zip(dims, out) if x is None]
        raise InputError(
            f"a joint prior row must name a type for every entry; missing: {', '.join(missing)}", path=where
        )
    return tuple(out)


def bayesian_form(data: Mapping[str, Any], players, observers, names) -> tuple[tuple, np.ndarray, np.ndarray, dict]:
    """The scenario pieces of a ``"form": "bayesian"`` file: players with their plans, the
    ex-ante payoff expressions and their paths, and ``{"bayesian": game}``."""
    game = parse_bayesian(data, [p.name for p in players], [o.name for o in observers], names)
    shape = tuple(len(game.plans(i)) for i in range(len(players)))
    count = math.prod(shape)
    if count > MAX_PROFILES:
        raise GameTooLargeError(f"the ex-ante normal form has {count:,} plan profiles; the limit is {MAX_PROFILES:,}")
    rows = len(players) + len(observers)
    payoffs = np.empty((rows, *shape), dtype=object)
    paths = np.empty((rows, *shape), dtype=object)
    priors = game.prior_expressions()
    plans = [game.plans(i) for i in range(len(players))]
    dims = game.player_dimension
    for idx in np.ndindex(*shape):
        for k in range(rows):
            terms = []
            for t, factors in priors.items():
                acts = tuple(plans[i][idx[i]][0 if d is None else t[d]] for i, d in enumerate(dims))
                terms.append((factors, game.payoffs[(t, acts)][k]))
            payoffs[(k, *idx)] = weighted_sum(terms)
            paths[(k, *idx)] = f"$.payoffs (ex-ante payoff of {(list(players) + list(observers))[k].name})"
    new_players = tuple(
        Player(p.name, game.plan_names(i), p.description, game.plan_descriptions(i)) for i, p in enumerate(players)
    )
    return new_players, payoffs, paths, {"bayesian": game}


def bayesian_tree(game: BayesianGame) -> Tree:
    """The Bayesian game as a game tree (Harsanyi's picture): chance first draws a type
    profile with its prior probability, then the players move one after another, each
    knowing only its own type (one information set per player and type), so the moves
    are in effect simultaneous. Its reduced normal form is the ex-ante normal form."""
    priors = game.prior_expressions()
    one = parse_expression(1, ())
    dims = game.player_dimension
    profiles = game.type_profiles
    labels = ["+".join(game.type_names[d][k] for d, k in enumerate(t)) or "only" for t in profiles]

    def moves_from(i: int, t: tuple[int, ...], acts: tuple[int, ...]) -> dict:
        if i == len(game.players):
            cell = game.payoffs[(t, acts)]
            return {"payoffs": list(cell)}
        d = dims[i]
        infoset = game.players[i] if d is None else f"{game.players[i]}:{game.type_names[d][t[d]]}"
        return {
            "player": game.players[i],
            "infoset": infoset,
            "moves": {a: moves_from(i + 1, t, acts + (k,)) for k, a in enumerate(game.actions[i])},
        }

    chance = {label: weighted_sum([(priors[t], one)]) for label, t in zip(labels, profiles)}
    root = {"chance": chance, "moves": {label: moves_from(0, t, ()) for label, t in zip(labels, profiles)}}
    names: set[str] = set()
    for e in chance.values():
        names |= e.names
    for exprs in game.payoffs.values():
        for e in exprs:
            names |= e.names
    return _tree_with_expressions(root, game, names)


def _tree_with_expressions(root: dict, game: BayesianGame, names) -> Tree:
    """Validate the built tree with :func:`~gametheory.scenario.tree.parse_tree`, which reads
    payoffs and probabilities as text: each expression's text parses back to the same
    expression."""

    def plain(node):
        if "payoffs" in node:
            return {"payoffs": [e.text for e in node["payoffs"]]}
        out = {k: v for k, v in node.items() if k != "moves"}
        if "chance" in node:
            out["chance"] = {a: e.text for a, e in node["chance"].items()}
        out["moves"] = {a: plain(c) for a, c in node["moves"].items()}
        return out

    return parse_tree(plain(root), game.players, game.observers, names, file=game.file)
