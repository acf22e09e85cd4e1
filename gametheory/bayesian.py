"""Bayesian games: players with private types, a (parameterised) prior, type-contingent plans.

A Bayesian scenario (``"form": "bayesian"``) lists, for each player, the
actions every type of it can take and, optionally, its **types** (what the
player privately knows about itself). **Nature** entries describe uncertain
states that no player observes (in the uncertain-resolve game: whether the US
is committed). The **prior** is either one probability per type (independent
across players and nature entries) or a joint table over type profiles; its
probabilities are expressions of parameters, so beliefs can be swept and
thresholds found like any other parameter.

Harsanyi's construction (Harsanyi 1967-68; Osborne, *An Introduction to Game
Theory*, ch. 9; Gibbons, ch. 3) turns the game into its **ex-ante normal
form**: a strategy is a plan naming one action per type of the player, and a
player's payoff for a plan profile is the prior-weighted sum, over all type
profiles, of its payoff when each player takes the action its plan gives its
type. A Nash equilibrium of this normal form is a Bayesian Nash equilibrium:
every type with positive prior probability best-responds given its beliefs
(types of probability zero are unconstrained). The file is loaded into an
ordinary :class:`~gametheory.scenario.Scenario` whose payoffs are those
ex-ante expressions, so binding, solving, sweeps and thresholds work unchanged;
the structure is kept in ``scenario.bayesian`` for reporting each type's
behaviour.

Plan names join the actions of the player's types in the order of its types
with ``/``: Russia's plan ``target/accept`` means "the resolved type targets,
the opportunist accepts" when its types are listed as resolved, opportunist.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping, Sequence

import numpy as np

from .errors import EvaluationError, ExpressionError, GameTooLargeError, InputError
from .expressions import Expression, parse_expression
from .extensive import _show, weighted_sum
from .scenario import _suggest, _text, check_payoff_names

__all__ = ["BayesianGame", "BayesianAnalysis", "bayesian_form", "analyse_bayesian", "type_behaviour"]

#: Most cells of the ex-ante normal form.
MAX_PROFILES = 250_000
#: Most type profiles.
MAX_TYPE_PROFILES = 10_000

Number = Fraction | float
_FLOAT_TOL = 1e-9







@dataclass(frozen=True, eq=False)
class BayesianGame:
    """A validated Bayesian game with expression payoffs and prior.

    ``dimensions`` are the sources of uncertainty: first each player that has
    types (in player order), then each nature entry. ``type_names[d]`` are the
    types of dimension ``d``. The prior is ``priors[d][t]`` per type
    (independent) or ``joint[type profile]``. ``payoffs[(types, actions)]`` holds
    one expression per player, then per observer, for a type profile (one type
    index per dimension) and an action profile (one action index per player).
    """

    players: tuple[str, ...]
    observers: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    dimensions: tuple[str, ...]
    type_names: tuple[tuple[str, ...], ...]
    type_descriptions: tuple[tuple[str, ...], ...]
    priors: tuple[tuple[Expression, ...], ...] | None
    joint: Mapping[tuple[int, ...], Expression] | None
    payoffs: Mapping[tuple[tuple[int, ...], tuple[int, ...]], tuple[Expression, ...]]
    prior_paths: Mapping[Any, str]
    file: str | None = None

    @property
    def player_dimension(self) -> tuple[int | None, ...]:
        """For each player, the index of its own type dimension (None: a single type)."""
        return tuple(self.dimensions.index(p) if p in self.dimensions else None for p in self.players)

    @property
    def type_profiles(self) -> list[tuple[int, ...]]:
        return list(itertools.product(*[range(len(t)) for t in self.type_names]))

    def plans(self, player: int) -> list[tuple[int, ...]]:
        """The player's plans: one action index per type (a single action without types)."""
        d = self.player_dimension[player]
        count = 1 if d is None else len(self.type_names[d])
        return list(itertools.product(range(len(self.actions[player])), repeat=count))

    def plan_names(self, player: int) -> tuple[str, ...]:
        names = self.actions[player]
        return tuple("/".join(names[a] for a in plan) for plan in self.plans(player))

    def plan_descriptions(self, player: int) -> tuple[str, ...]:
        d = self.player_dimension[player]
        names = self.actions[player]
        if d is None:
            return tuple("" for _ in names)
        return tuple(
            "; ".join(f"{t}: {names[a]}" for t, a in zip(self.type_names[d], plan)) for plan in self.plans(player)
        )

    def prior_expressions(self) -> dict[tuple[int, ...], tuple[Expression, ...]]:
        """Each type profile's probability as a product of factors (one factor for a joint prior)."""
        out = {}
        for t in self.type_profiles:
            if self.joint is not None:
                out[t] = (self.joint[t],) if t in self.joint else (parse_expression(0, ()),)
            else:
                out[t] = tuple(self.priors[d][k] for d, k in enumerate(t))  # type: ignore[index]
        return out

    # ----------------------------------------------------------------- values
    def prior_at(self, values: Mapping[str, Number]) -> dict[tuple[int, ...], Number]:
        """The probability of every type profile at ``values``, checked: no negative
        probability, and each prior (or the joint table) sums to 1."""
        if self.joint is not None:
            probs = {}
            for t in self.type_profiles:
                expr = self.joint.get(t)
                probs[t] = self._value(expr, values, self.prior_paths[t]) if expr is not None else Fraction(0)
            self._check(list(probs.values()), "the joint prior", "$.prior", values,
                        set().union(*(e.names for e in self.joint.values())))
            return probs
        assert self.priors is not None
        per_dim = []
        for d, exprs in enumerate(self.priors):
            vals = [self._value(e, values, self.prior_paths[(d, k)]) for k, e in enumerate(exprs)]
            self._check(vals, f"the prior over {self.dimensions[d]}'s types", self.prior_paths[d], values,
                        set().union(*(e.names for e in exprs)))
            per_dim.append(vals)
        out = {}
        for t in self.type_profiles:
            p: Number = Fraction(1)
            for d, k in enumerate(t):
                p = p * per_dim[d][k]
            out[t] = p
        return out

    def check_values(self, values: Mapping[str, Number]) -> None:
        """Raise :class:`EvaluationError` if the prior is not a probability distribution at ``values``."""
        self.prior_at(values)

    def _value(self, expr: Expression, values, path: str) -> Number:
        try:
            value = expr.evaluate(values)
        except EvaluationError as exc:
            raise exc.located(file=self.file, path=path)
        if isinstance(value, float) and not math.isfinite(value):
            raise EvaluationError(f"prior {expr.text!r} is not finite", file=self.file, path=path)
        return value

    def _check(self, probs: Sequence[Number], what: str, path: str, values, names) -> None:
        at = ", ".join(f"{k} = {_show(values[k])}" for k in sorted(names) if k in values)
        suffix = f" at {at}" if at else ""
        for p in probs:
            if p < 0:
                raise EvaluationError(f"{what} has a negative probability {_show(p)}{suffix}", file=self.file, path=path)
        total = sum(probs, Fraction(0))
        exact = all(isinstance(p, Fraction) for p in probs)
        if (total != 1) if exact else abs(float(total) - 1) > _FLOAT_TOL:
            raise EvaluationError(f"{what} sums to {_show(total)}, not 1{suffix}", file=self.file, path=path)


# ----------------------------------------------------------------------------- parsing
def _types(items: list, where: str) -> tuple[list[str], list[str], list[Any]]:
    names, descriptions, priors = [], [], []
    for k, item in enumerate(items):
        name = item if isinstance(item, str) else item["name"]
        if name in names:
            raise InputError(f"duplicate type name {name!r}", path=f"{where}[{k}]")
        names.append(name)
        descriptions.append("" if isinstance(item, str) else _text(item.get("description")))
        priors.append(None if isinstance(item, str) else item.get("prior"))
    return names, descriptions, priors


def _expression(raw: Any, names, path: str) -> Expression:
    try:
        return parse_expression(raw, names)
    except ExpressionError as exc:
        raise exc.located(path=path)


def parse_bayesian(data: Mapping[str, Any], players: Sequence[str], observers: Sequence[str], names) -> BayesianGame:
    """Validate the Bayesian parts of a scenario file (players' actions and types, nature,
    prior, payoffs per type profile); see docs/reference/scenario-format.md."""
    for key in ("matrix", "tree", "nodes"):
        if key in data:
            raise InputError(f"a bayesian file has no {key!r}: give 'payoffs' rows per type profile", path=f"$.{key}")
    actions, dims, type_names, type_desc, raw_priors, prior_where = [], [], [], [], [], []
    for k, item in enumerate(data["players"]):
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
                raise InputError(f"action name {a!r} may not contain '/' (it separates the types in plan names)", path=f"{where}.actions[{j}]")
        actions.append(tuple(acts))
        if "types" in item:
            tn, td, tp = _types(item["types"], f"{where}.types")
            dims.append(item["name"])
            type_names.append(tuple(tn))
            type_desc.append(tuple(td))
            raw_priors.append(tp)
            prior_where.append(f"{where}.types")
    everyone = list(players) + list(observers)
    for k, item in enumerate(data.get("nature", [])):
        where = f"$.nature[{k}]"
        name = item["name"]
        if name in everyone or name in dims:
            raise InputError(f"nature entry {name!r} has the name of a player or another entry", path=f"{where}.name")
        tn, td, tp = _types(item["types"], f"{where}.types")
        dims.append(name)
        type_names.append(tuple(tn))
        type_desc.append(tuple(td))
        raw_priors.append(tp)
        prior_where.append(f"{where}.types")
    count = math.prod(len(t) for t in type_names)
    if count > MAX_TYPE_PROFILES:
        raise InputError(f"{count} type profiles; the limit is {MAX_TYPE_PROFILES}", path="$.players")

    prior_paths: dict[Any, str] = {}
    priors = None
    joint = None
    if "prior" in data:
        for d, tp in enumerate(raw_priors):
            for k, p in enumerate(tp):
                if p is not None:
                    raise InputError("give either a prior per type or a joint 'prior' table, not both", path=f"{prior_where[d]}[{k}].prior")
        joint = {}
        for r, row in enumerate(data["prior"]):
            where = f"$.prior[{r}]"
            key = _type_profile(row["types"], dims, type_names, f"{where}.types", require_all=True)
            if key in joint:
                raise InputError("this type profile already has a probability", path=f"{where}.types")
            joint[key] = _expression(row["probability"], names, f"{where}.probability")
            prior_paths[key] = f"{where}.probability"
    else:
        priors = []
        for d, tp in enumerate(raw_priors):
            prior_paths[d] = prior_where[d]
            if len(tp) == 1 and tp[0] is None:
                tp = [1]
            exprs = []
            for k, p in enumerate(tp):
                path = f"{prior_where[d]}[{k}].prior"
                if p is None:
                    raise InputError(
                        f"type {type_names[d][k]!r} of {dims[d]} has no 'prior' (or give a joint 'prior' table)", path=path
                    )
                exprs.append(_expression(p, names, path))
                prior_paths[(d, k)] = path
            priors.append(tuple(exprs))
        priors = tuple(priors)

    payoffs: dict[tuple[tuple[int, ...], tuple[int, ...]], list] = {}
    given_at: dict[tuple, str] = {}
    shape = tuple(len(a) for a in actions)
    type_profiles = list(itertools.product(*[range(len(t)) for t in type_names]))
    for r, row in enumerate(data["payoffs"]):
        where = f"$.payoffs[{r}]"
        profile = row["profile"]
        if len(profile) != len(players):
            raise InputError(
                f"profile has {len(profile)} actions but the game has {len(players)} players ({', '.join(players)})",
                path=f"{where}.profile",
            )
        act = []
        for i, (player, a) in enumerate(zip(players, profile)):
            if a not in actions[i]:
                raise InputError(
                    f"{a!r} is not an action of {player}{_suggest(a, actions[i])}; its actions are {', '.join(actions[i])}",
                    path=f"{where}.profile[{i}]",
                )
            act.append(actions[i].index(a))
        partial = _type_profile(row.get("types", {}), dims, type_names, f"{where}.types", require_all=False)
        values = row["payoffs"]
        if isinstance(values, list):
            if len(values) != len(everyone):
                raise InputError(f"expected {len(everyone)} payoffs ({', '.join(everyone)}), found {len(values)}", path=f"{where}.payoffs")
            items = [(k, v, f"{where}.payoffs[{k}]") for k, v in enumerate(values)]
        else:
            # Rows may give some players only (the others come from rows for other types).
            check_payoff_names(values, list(everyone), f"{where}.payoffs", complete=False)
            items = [(everyone.index(name), v, f"{where}.payoffs.{name}") for name, v in values.items()]
        parsed = [(k, _expression(v, names, path), path) for k, v, path in items]
        for t in type_profiles:
            if any(p is not None and p != x for p, x in zip(partial, t)):
                continue
            cell = payoffs.setdefault((t, tuple(act)), [None] * len(everyone))
            for k, expr, path in parsed:
                key = (t, tuple(act), k)
                if cell[k] is not None:
                    raise InputError(
                        f"the payoff of {everyone[k]} for types ({_types_text(t, dims, type_names)}) and actions "
                        f"({', '.join(profile)}) is already given at {given_at[key]}",
                        path=path,
                    )
                cell[k] = expr
                given_at[key] = path
    for t in type_profiles:
        for a in itertools.product(*[range(n) for n in shape]):
            cell = payoffs.get((t, a))
            missing = [everyone[k] for k in range(len(everyone)) if cell is None or cell[k] is None]
            if missing:
                acts = ", ".join(actions[i][x] for i, x in enumerate(a))
                raise InputError(
                    f"no payoff for {', '.join(missing)} when the types are ({_types_text(t, dims, type_names)}) "
                    f"and the actions ({acts})",
                    path="$.payoffs",
                )
    return BayesianGame(
        players=tuple(players),
        observers=tuple(observers),
        actions=tuple(actions),
        dimensions=tuple(dims),
        type_names=tuple(type_names),
        type_descriptions=tuple(type_desc),
        priors=priors,
        joint=joint,
        payoffs={k: tuple(v) for k, v in payoffs.items()},
        prior_paths=prior_paths,
    )


def _types_text(t: tuple[int, ...], dims, type_names) -> str:
    return ", ".join(f"{d} {type_names[k][x]}" for k, (d, x) in enumerate(zip(dims, t))) or "no types"


def _type_profile(raw: Mapping[str, str], dims, type_names, where: str, *, require_all: bool) -> tuple:
    out: list[int | None] = [None] * len(dims)
    for name, tname in raw.items():
        if name not in dims:
            raise InputError(
                f"{name!r} has no types{_suggest(name, dims)}; players and nature entries with types: {', '.join(dims) or '(none)'}",
                path=f"{where}.{name}",
            )
        d = dims.index(name)
        if tname not in type_names[d]:
            raise InputError(
                f"{tname!r} is not a type of {name}{_suggest(tname, type_names[d])}; its types are {', '.join(type_names[d])}",
                path=f"{where}.{name}",
            )
        out[d] = type_names[d].index(tname)
    if require_all and any(x is None for x in out):
        missing = [d for d, x in zip(dims, out) if x is None]
        raise InputError(f"a joint prior row must name a type for every entry; missing: {', '.join(missing)}", path=where)
    return tuple(out)


def bayesian_form(data: Mapping[str, Any], players, observers, names) -> tuple[tuple, np.ndarray, np.ndarray, dict]:
    """The scenario pieces of a ``"form": "bayesian"`` file: players with their plans, the
    ex-ante payoff expressions and their paths, and ``{"bayesian": game}``."""
    from .scenario import Player

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
                acts = tuple(plans[i][idx[i]][0 if dims[i] is None else t[dims[i]]] for i in range(len(players)))
                terms.append((factors, game.payoffs[(t, acts)][k]))
            payoffs[(k, *idx)] = weighted_sum(terms)
            paths[(k, *idx)] = f"$.payoffs (ex-ante payoff of {(list(players) + list(observers))[k].name})"
    new_players = tuple(
        Player(p.name, game.plan_names(i), p.description, game.plan_descriptions(i)) for i, p in enumerate(players)
    )
    return new_players, payoffs, paths, {"bayesian": game}


# ----------------------------------------------------------------------------- analysis
def type_behaviour(game: BayesianGame, player: int, probs: Sequence[Number]) -> list[tuple[str | None, tuple[Number, ...]]]:
    """What each type of ``player`` does under a mixture ``probs`` over its plans:
    ``[(type name, action probabilities), ...]`` (one entry with name None without types)."""
    plans = game.plans(player)
    d = game.player_dimension[player]
    n = len(game.actions[player])
    exact = all(isinstance(p, Fraction) for p in probs)
    zero: Number = Fraction(0) if exact else 0.0
    names = [None] if d is None else list(game.type_names[d])
    out = []
    for j, tname in enumerate(names):
        acts = [zero] * n
        for plan, p in zip(plans, probs):
            acts[plan[j]] += p
        out.append((tname, tuple(acts)))
    return out


@dataclass(frozen=True)
class BayesianAnalysis:
    """Each equilibrium of the ex-ante form read type by type.

    ``behaviour[k]`` lists, for equilibrium number ``k``, each player with
    ``(type, action probabilities, expected payoff of that type)`` per type
    (the interim payoff, conditional on the type; None when the type has
    probability zero). ``marginals[d]`` is the prior over dimension ``d``.
    """

    game: BayesianGame
    marginals: tuple[tuple[Number, ...], ...]
    behaviour: tuple[tuple[tuple[str, tuple[tuple[str | None, tuple[Number, ...], Number | None], ...]], ...], ...]

    @property
    def types(self) -> tuple[str, ...]:
        return self.game.dimensions


def analyse_bayesian(game: BayesianGame, values: Mapping[str, Number], solution) -> BayesianAnalysis:
    """Per-type behaviour and interim payoffs of every equilibrium of ``solution`` at ``values``."""
    prior = game.prior_at(values)
    exact = all(isinstance(p, Fraction) for p in prior.values())
    zero: Number = Fraction(0) if exact else 0.0
    marginals = []
    for d, names in enumerate(game.type_names):
        m = [zero] * len(names)
        for t, p in prior.items():
            m[t[d]] += p
        marginals.append(tuple(m))
    cells = {}
    for key, exprs in game.payoffs.items():
        if prior[key[0]] != 0:
            cells[key] = tuple(e.evaluate(values) for e in exprs)
    dims = game.player_dimension
    shape = tuple(len(a) for a in game.actions)
    out = []
    for eq in solution.equilibria:
        per_player = [type_behaviour(game, i, probs) for i, probs in enumerate(eq.profile)]
        rows = []
        for i, player in enumerate(game.players):
            entries = []
            for j, (tname, acts) in enumerate(per_player[i]):
                d = dims[i]
                mass = zero
                total = zero
                for t, p in prior.items():
                    if p == 0 or (d is not None and t[d] != j):
                        continue
                    mass += p
                    for a in itertools.product(*[range(n) for n in shape]):
                        w = p
                        for q, x in enumerate(a):
                            w = w * per_player[q][0 if dims[q] is None else t[dims[q]]][1][x]
                            if w == 0:
                                break
                        if w != 0:
                            total += w * cells[(t, a)][i]
                entries.append((tname, acts, total / mass if mass != 0 else None))
            rows.append((player, tuple(entries)))
        out.append(tuple(rows))
    return BayesianAnalysis(game, tuple(marginals), tuple(out))


def bayesian_tree(game: BayesianGame):
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

    root = {
        "chance": {label: weighted_sum([(priors[t], one)]) for label, t in zip(labels, profiles)},
        "moves": {label: moves_from(0, t, ()) for label, t in zip(labels, profiles)},
    }
    names = set()
    for e in root["chance"].values():
        names |= e.names
    for exprs in game.payoffs.values():
        for e in exprs:
            names |= e.names
    return _tree_with_expressions(root, game, names)


def _tree_with_expressions(root: dict, game: BayesianGame, names) -> Any:
    """Validate the built tree with :func:`gametheory.extensive.parse_tree`, which reads
    payoffs and probabilities as text: each expression's text parses back to the same
    expression."""
    from .extensive import parse_tree

    def plain(node):
        if "payoffs" in node:
            return {"payoffs": [e.text for e in node["payoffs"]]}
        out = {k: v for k, v in node.items() if k != "moves"}
        if "chance" in node:
            out["chance"] = {a: e.text for a, e in node["chance"].items()}
        out["moves"] = {a: plain(c) for a, c in node["moves"].items()}
        return out

    return parse_tree(plain(root), game.players, game.observers, names, file=game.file)
