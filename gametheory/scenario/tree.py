"""Reading game trees out of scenario files (``"form": "tree"``) into a :class:`~gametheory.extensive.Tree`.

:func:`parse_tree` validates a tree given in the scenario-file form (nodes
nested under ``"tree"`` or named under ``"nodes"``; see
docs/reference/scenario-format.md) and :func:`tree_form` turns a tree file
into the pieces of a :class:`~gametheory.scenario.model.Scenario`: players with
their reduced plans and the reduced normal form's payoff expressions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from .._limits import MAX_TREE_DEPTH
from ..errors import InputError
from ..expressions import Expression
from ..extensive import CHANCE, DECISION, TERMINAL, InfoSet, Node, Tree, check_probabilities
from .common import check_payoff_names, description_text, located_expression, suggest
from .model import Player, Scenario

#: Most nodes a tree may have.
MAX_NODES = 100_000
#: Deepest nesting accepted in a scenario file's tree.
MAX_DEPTH = MAX_TREE_DEPTH


def _at(path: str, key: str) -> str:
    """``path.key`` for a JSON path; a position in another format (``line 12, column 1``) stays as it is."""
    return f"{path}.{key}" if path.startswith("$") else path


def _actions(moves: Any, path: str) -> tuple[str, ...]:
    """The action names of a decision or chance node's ``moves`` (an object from names to nodes), checked."""
    if not isinstance(moves, dict) or not moves:
        raise InputError("a decision or chance node needs 'moves': an object from action names to nodes", path=path)
    actions = tuple(moves)
    for action in actions:
        if not action or "/" in action or action != action.strip() or action == "-":
            raise InputError(
                f"action name {action!r} is not allowed: use a non-empty name without '/', not '-', "
                "and without spaces at either end",
                path=_at(path, "moves"),
            )
    return actions


class _Builder:
    """Builds the node list of a tree from its JSON form, checking it as it goes."""

    def __init__(
        self, players: Sequence[str], observers: Sequence[str], names: Iterable[str], named: Mapping[str, Any]
    ):
        self.players = list(players)
        self.observers = list(observers)
        self.names = frozenset(names)
        self.named = dict(named)
        self.used: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self.nodes: list[dict] = []
        self.infosets: list[dict] = []
        self.by_label: dict[str, int] = {}

    def expression(self, raw: Any, path: str) -> Expression:
        return located_expression(raw, self.names, path)

    def add(
        self,
        raw: Any,
        path: str,
        history: tuple[str, ...],
        parent: int | None,
        own: tuple[tuple[tuple[int, int], ...], ...],
        depth: int,
    ) -> int:
        """Add the node ``raw`` (an object, or the name of an entry of ``nodes``) at ``path`` and,
        depth first, the nodes below it; return its index.

        ``history`` is the moves that lead to it, ``own[i]`` the (information
        set, action) pairs of player ``i`` on the way (for perfect recall).
        """
        if depth > MAX_DEPTH:
            raise InputError(f"the tree is nested more than {MAX_DEPTH} levels deep", path=path)
        if len(self.nodes) >= MAX_NODES:
            raise InputError(f"the tree has more than {MAX_NODES:,} nodes", path=path)
        raw, path, label = self.resolve(raw, path)
        index = len(self.nodes)
        record: dict[str, Any] = {
            "index": index,
            "history": history,
            "parent": parent,
            "label": label,
            "path": path,
            "description": description_text(raw.get("description")),
        }
        self.nodes.append(record)
        if "payoffs" in raw:
            for key in ("moves", "infoset"):
                if key in raw:
                    raise InputError(f"an end node (with 'payoffs') cannot have {key!r}", path=f"{path}.{key}")
            record["kind"] = TERMINAL
            record["payoffs"] = self.payoffs(raw["payoffs"], f"{path}.payoffs")
            record["end"] = index + 1
            return index
        moves = raw.get("moves")
        record["actions"] = actions = _actions(moves, path)
        mover: tuple[int, int] | None = None  # (player index, information set) at a decision node
        if "player" in raw:
            mover = self.decision(record, raw, own)
        else:
            self.chance(record, raw, moves)
        children = []
        for k, action in enumerate(actions):
            below = own
            if mover is not None:  # the mover's own moves grow by this one
                player, h = mover
                grown = list(own)
                grown[player] = own[player] + ((h, k),)
                below = tuple(grown)
            children.append(
                self.add(moves[action], f"{path}.moves.{action}", history + (action,), index, below, depth + 1)
            )
        record["children"] = tuple(children)
        record["end"] = len(self.nodes)
        return index

    def resolve(self, raw: Any, path: str) -> tuple[dict, str, str]:
        """The node object, its path and its label: a reference to an entry of ``nodes`` (reached only
        once) is looked up; ``id`` labels a node (no two alike); ``_where`` is where a node read from
        another format came from. A node has exactly one of 'player', 'chance' or 'payoffs'."""
        label = ""
        if isinstance(raw, str):
            ref = raw
            if ref not in self.named:
                known = ", ".join(list(self.named)[:10]) or "(none: there is no 'nodes' section)"
                raise InputError(
                    f"unknown node {ref!r}{suggest(ref, self.named)}; nodes defined under 'nodes': {known}", path=path
                )
            if ref in self.used:
                raise InputError(
                    f"node {ref!r} is reached twice (first from {self.used[ref]}): in a tree every node has "
                    "exactly one way in; to model a mover who cannot tell two situations apart, give two "
                    "separate nodes the same 'infoset'",
                    path=path,
                )
            self.used[ref] = path
            raw, path, label = self.named[ref], f"$.nodes.{ref}", ref
        if not isinstance(raw, dict):
            raise InputError("a node must be an object (or the name of a node under 'nodes')", path=path)
        path = raw.get("_where", path)  # where a node read from another format (a .efg line) came from
        label = raw.get("id", label) or label
        if label:
            if label in self.labels:
                raise InputError(f"duplicate node id {label!r} (also at {self.labels[label]})", path=path)
            self.labels[label] = path
        kinds = [k for k in ("player", "chance", "payoffs") if k in raw]
        if len(kinds) != 1:
            what = "has none of" if not kinds else f"has {' and '.join(repr(k) for k in kinds)}; give only one of"
            raise InputError(
                f"a node {what} 'player' (a decision), 'chance' (a chance move) or 'payoffs' (an end of the game)",
                path=path,
            )
        return raw, path, label

    def decision(self, record: dict[str, Any], raw: dict, own: tuple) -> tuple[int, int]:
        """Fill in a decision node's mover and information set; return both (player index, information set)."""
        path = record["path"]
        name = raw["player"]
        if name not in self.players:
            if name in self.observers:
                raise InputError(
                    f"{name!r} is an observer, who receives payoffs but never moves", path=_at(path, "player")
                )
            raise InputError(
                f"unknown player {name!r}{suggest(name, self.players)}; players are {', '.join(self.players)}",
                path=_at(path, "player"),
            )
        player = self.players.index(name)
        record["kind"] = DECISION
        record["player"] = player
        record["infoset"] = h = self.infoset(
            raw.get("infoset"), player, record["actions"], own[player], record["index"], path
        )
        return player, h

    def chance(self, record: dict[str, Any], raw: dict, moves: dict) -> None:
        """Fill in a chance node's probabilities: one per move (checked at once when they are constants)."""
        path, actions, index = record["path"], record["actions"], record["index"]
        if "infoset" in raw:
            raise InputError("a chance node has no information set", path=_at(path, "infoset"))
        chance = raw["chance"]
        if not isinstance(chance, dict):
            raise InputError("'chance' must be an object from action names to probabilities", path=_at(path, "chance"))
        missing = [a for a in actions if a not in chance]
        extra = [a for a in chance if a not in moves]
        if missing or extra:
            bits = []
            if missing:
                bits.append(f"no probability for {', '.join(map(repr, missing))}")
            if extra:
                bits.append(f"a probability for {', '.join(map(repr, extra))}, which is not among the moves")
            raise InputError(
                f"'chance' must give one probability per move ({', '.join(actions)}): " + "; ".join(bits),
                path=_at(path, "chance"),
            )
        record["kind"] = CHANCE
        probs = tuple(self.expression(chance[a], f"{path}.chance.{a}") for a in actions)
        record["probabilities"] = probs
        if all(p.is_constant for p in probs):
            fake = Node(
                index,
                CHANCE,
                record["history"],
                record["parent"],
                index + 1,
                actions=actions,
                probabilities=probs,
                path=path,
            )
            check_probabilities([p.evaluate({}) for p in probs], fake, None, {})

    def infoset(self, label: Any, player: int, actions: tuple[str, ...], sequence, node: int, path: str) -> int:
        if label is None:
            h = len(self.infosets)
            self.infosets.append(
                {
                    "player": player,
                    "label": self.nodes[node]["label"] or "/".join(self.nodes[node]["history"]) or "root",
                    "nodes": [node],
                    "actions": actions,
                    "sequence": sequence,
                    "path": path,
                }
            )
            return h
        if label in self.by_label:
            h = self.by_label[label]
            info = self.infosets[h]
            first = info["path"]
            if info["player"] != player:
                raise InputError(
                    f"information set {label!r} belongs to {self.players[info['player']]} at {first}, "
                    f"but this node is {self.players[player]}'s: one information set, one player",
                    path=_at(path, "player"),
                )
            if info["actions"] != actions:
                raise InputError(
                    f"information set {label!r} offers ({', '.join(info['actions'])}) at {first} but "
                    f"({', '.join(actions)}) here: every node of an information set must offer the same moves, "
                    "in the same order, or the mover could tell the nodes apart",
                    path=_at(path, "moves"),
                )
            if info["sequence"] != sequence:
                raise InputError(
                    f"information set {label!r} breaks perfect recall: {self.players[player]} reaches the node at {first} and "
                    "this node after different moves of its own (or one lies below the other), so it would have to "
                    "forget what it did; this tool needs perfect recall",
                    path=_at(path, "infoset"),
                )
            info["nodes"].append(node)
            return h
        h = len(self.infosets)
        self.by_label[label] = h
        self.infosets.append(
            {
                "player": player,
                "label": str(label),
                "nodes": [node],
                "actions": actions,
                "sequence": sequence,
                "path": path,
            }
        )
        return h

    def payoffs(self, raw: Any, path: str) -> tuple[Expression, ...]:
        everyone = self.players + self.observers
        if isinstance(raw, list):
            if len(raw) != len(everyone):
                raise InputError(
                    f"expected {len(everyone)} payoffs ({', '.join(everyone)}), found {len(raw)}", path=path
                )
            return tuple(self.expression(v, f"{path}[{k}]") for k, v in enumerate(raw))
        if not isinstance(raw, dict):
            raise InputError("'payoffs' must be an object from player names to payoffs, or a list", path=path)
        check_payoff_names(raw, list(everyone), path)
        return tuple(self.expression(raw[n], f"{path}.{n}") for n in everyone)

    def finish(self, file: str | None, allow_idle: bool) -> Tree:
        unused = [name for name in self.named if name not in self.used]
        if unused:
            raise InputError(
                f"node {unused[0]!r} is defined but never reached from 'tree'", path=f"$.nodes.{unused[0]}"
            )
        if not any(n["kind"] == DECISION for n in self.nodes):
            raise InputError("the tree has no decision node: at least one player must move", path="$.tree")
        movers = {info["player"] for info in self.infosets}
        if not allow_idle:
            for i, name in enumerate(self.players):
                if i not in movers:
                    raise InputError(
                        f"player {name!r} never moves in the tree; list it under 'observers' if it only receives payoffs",
                        path="$.players",
                    )
        nodes = tuple(
            Node(
                index=r["index"],
                kind=r["kind"],
                history=r["history"],
                parent=r["parent"],
                end=r["end"],
                label=r["label"],
                description=r["description"],
                player=r.get("player"),
                infoset=r.get("infoset"),
                actions=r.get("actions", ()),
                children=r.get("children", ()),
                probabilities=r.get("probabilities", ()),
                payoffs=r.get("payoffs", ()),
                path=r["path"],
            )
            for r in self.nodes
        )
        infosets = tuple(
            InfoSet(k, i["player"], i["label"], tuple(i["nodes"]), i["actions"], i["sequence"])
            for k, i in enumerate(self.infosets)
        )
        return Tree(tuple(self.players), tuple(self.observers), nodes, infosets, file)


def parse_tree(
    root: Any,
    players: Sequence[str],
    observers: Sequence[str] = (),
    names: Iterable[str] = (),
    *,
    nodes: Mapping[str, Any] | None = None,
    file: str | None = None,
    allow_idle_players: bool = False,
) -> Tree:
    """Validate a tree given in the scenario-file form (see docs/reference/scenario-format.md).

    ``root`` is the ``"tree"`` section (a node object, or the name of an entry of
    ``nodes``); ``names`` are the parameter and derived names expressions may use.
    Raises :class:`InputError` with the JSON path of the offending node for:
    unknown players, a node that is both a decision and an end, chance
    probabilities that are negative or do not sum to 1 (when they are
    constants; otherwise when the scenario is bound), an information set whose
    nodes belong to different players or offer different moves, an
    information set that breaks perfect recall, a node reached twice, a node
    defined but never reached, a tree without decisions, a player who never
    moves.
    """
    builder = _Builder(players, observers, names, nodes or {})
    start = tuple(() for _ in players)
    try:
        builder.add(root, "$.tree", (), None, start, 0)
        return builder.finish(file, allow_idle_players)
    except InputError as exc:
        raise exc.located(file=file) from None


def tree_form(data: Mapping[str, Any], players, observers, names) -> tuple[tuple, np.ndarray, np.ndarray, dict]:
    """The scenario pieces of a ``"form": "tree"`` file: players with their plans, the
    reduced-form payoff expressions, their paths, and ``{"extensive": tree}``.

    Called by :func:`gametheory.scenario.parse_scenario` after the schema check.
    """
    for k, item in enumerate(data["players"]):
        for key in ("strategies", "actions", "types"):
            if key in item:
                raise InputError(
                    f"players of a tree have no {key!r}: their plans come from the tree's moves",
                    path=f"$.players[{k}].{key}",
                )
    for key in ("payoffs", "matrix", "nature", "prior"):
        if key in data:
            raise InputError(
                f"a tree file has no top-level {key!r} (payoffs sit at the ends of 'tree')", path=f"$.{key}"
            )
    tree = parse_tree(
        data["tree"],
        [p.name for p in players],
        [o.name for o in observers],
        names,
        nodes=data.get("nodes", {}),
    )
    payoffs, paths = tree.reduced_form()
    new_players = tuple(
        Player(p.name, tree.plan_names[i], p.description, tree.plan_descriptions[i]) for i, p in enumerate(players)
    )
    return new_players, payoffs, paths, {"extensive": tree}


def tree_scenario(tree: Tree, title: str, *, file: str | None = None, description: str = "") -> Scenario:
    """A parameter-free :class:`~gametheory.scenario.Scenario` for a tree with constant payoffs
    (e.g. read from a Gambit ``.efg`` file)."""
    payoffs, paths = tree.reduced_form()
    players = tuple(
        Player(name, tree.plan_names[i], "", tree.plan_descriptions[i]) for i, name in enumerate(tree.players)
    )
    return Scenario(
        title=title,
        players=players,
        parameters={},
        derived={},
        payoffs=payoffs,
        payoff_paths=paths,
        description=description,
        observers=tuple(Player(o, ()) for o in tree.observers),
        file=file,
        extensive=tree,
    )
