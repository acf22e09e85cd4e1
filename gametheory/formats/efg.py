"""Gambit's extensive-form ``.efg`` file format: read it and write it.

The format (Gambit manual, "The extensive game (.efg) file format") is a
stream of whitespace-separated tokens, with double-quoted labels::

    EFG 2 R "Entry" { "Entrant" "Incumbent" }
    "an optional comment"

    p "" 1 1 "" { "enter" "stay_out" } 0
    p "" 2 1 "" { "fight" "accommodate" } 0
    t "" 1 "price war" { -1, -1 }
    t "" 2 "shared" { 1, 1 }
    t "" 3 "kept" { 0, 2 }

1. The prologue: ``EFG``, version ``2``, ``R``, the title, the player names,
   an optional comment.
2. The nodes in preorder (a node, then the subtree of each of its children in
   move order). Each node is one of

   * ``p "name" player infoset ["infoset name" { "action" ... }] outcome [...]``
     (a decision of player number ``player``, 1-based, at information set
     number ``infoset``, unique within the player);
   * ``c "name" event ["event name" { "action" probability ... }] outcome [...]``
     (a chance move; probabilities are decimals or fractions);
   * ``t "name" outcome [...]`` (an end of the game);

   where an outcome is its number (0 = none) optionally followed, the first
   time it appears, by ``"outcome name" { payoff, payoff, ... }`` (commas are
   optional). The action list of an information set or chance event and the
   payoffs of an outcome are given where they first appear and may be
   repeated later (identically) or left out.

Outcomes may sit at non-terminal nodes: a play's payoff is the sum of the
outcomes met on its way. This reader adds them up into the payoffs of each
end node, so writing the game back puts all payoffs at the ends (the same
game). Numbers are exact (:class:`fractions.Fraction`), as in Gambit.

Labels are made usable as this tool needs them: an empty or repeated player
name gets ``_1``, ``_2``, ... (as Gambit does); an empty action label becomes
its number; ``/`` in an action label (the separator of plan names) becomes
``_``, surrounding spaces are dropped, and repeated labels at one node get
``_1``, ``_2``, .... Node names become node ids when they are unique.

Every problem raises an :class:`~gametheory.errors.InputError` naming the file
and the line and column.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from .._limits import read_capped
from ..errors import InputError
from ..extensive import Tree
from ..scenario import Scenario, scenario_values
from ..scenario.bayesian import bayesian_tree
from ..scenario.tree import parse_tree, tree_scenario
from .nfg import (
    _BadNumber,
    _decode_bytes,
    _Lexer,
    _normalize_labels,
    _number_message,
    _parse_number,
    _quote,
    read_prologue,
)

__all__ = ["load_efg", "load_efg_scenario", "read_efg", "write_efg"]

#: Most nodes accepted in a file.
MAX_NODES = 100_000
#: A count or an index (players, actions, outcome numbers): plain ASCII digits, at most 18.
_COUNT_TEXT = re.compile(r"[0-9]{1,18}")


def _clean_actions(labels: list[str]) -> list[str]:
    cleaned = []
    for k, label in enumerate(labels, start=1):
        label = label.strip().replace("/", "_")
        if label in ("", "-"):
            label = str(k)
        cleaned.append(label)
    return _normalize_labels(cleaned)


class _Reader:
    def __init__(self, text: str, file: str | None):
        self.lex = _Lexer(text, file)
        self.file = file

    def error(self, message: str, token) -> InputError:
        return self.lex.error(message, token.pos)

    def number(self, token, what: str) -> Fraction:
        if token.kind != "word":
            raise self.lex.unexpected(token, what)
        try:
            return _parse_number(token.value)
        except _BadNumber as exc:
            raise self.error(f"{what}: {_number_message(token.value, exc)}", token) from None

    def count(self, token, what: str, *, positive: bool) -> int:
        if token.kind != "word" or not _COUNT_TEXT.fullmatch(token.value) or (positive and int(token.value) == 0):
            raise self.lex.unexpected(token, what)
        return int(token.value)


def read_efg(text: str | bytes, *, file: str | None = None) -> dict[str, Any]:
    """Parse the text of a Gambit ``.efg`` file.

    Returns ``{"title", "comment", "players", "tree"}`` where ``tree`` is the root node
    in the scenario-file form (see :func:`gametheory.scenario.tree.parse_tree`); use
    :func:`load_efg_scenario` for a ready :class:`~gametheory.scenario.Scenario`.
    """
    if isinstance(text, (bytes, bytearray)):
        text = _decode_bytes(bytes(text))
    if text.startswith("\ufeff"):
        text = text[1:]
    r = _Reader(text, file)
    lex = r.lex
    title, players = read_prologue(lex, "EFG", "2")
    players = _normalize_labels(players)
    token = lex.next()
    comment = ""
    if token.kind == "text":
        comment = token.value
        token = lex.next()
    nodes = _NodeReader(r, players)
    root = nodes.read_tree(token, len(text))
    nodes.name_infosets_and_nodes()
    return {"title": title, "comment": comment, "players": players, "tree": root}


class _NodeReader:
    """Reads the nodes of a ``.efg`` file, in preorder, into tree nodes in the scenario-file form.

    It keeps what later nodes may refer to: information sets and chance
    events (their actions), outcomes (their payoffs) and how often each node
    name occurs.
    """

    def __init__(self, reader: _Reader, players: list[str]):
        self.r = reader
        self.lex = reader.lex
        self.players = players
        self.n = len(players)
        self.zero = tuple(Fraction(0) for _ in range(self.n))
        self.infosets: dict[tuple[int, int], dict[str, Any]] = {}
        self.events: dict[int, dict[str, Any]] = {}
        self.outcomes: dict[int, tuple[Fraction, ...]] = {}
        self.names: dict[str, int] = {}
        self.nodes: list[dict[str, Any]] = []

    def read_tree(self, token, end: int) -> dict[str, Any]:
        """Read the nodes from ``token`` to the end of the file (at offset ``end``); return the root.

        Each node is attached to the first open move of the node above it;
        the payoffs of outcomes met on the way are added up into each end node.
        """
        r, lex = self.r, self.lex
        root: dict[str, Any] | None = None
        # (node, its actions still to fill, the payoff of the outcomes met down to it)
        stack: list[tuple[dict[str, Any], list[str], tuple[Fraction, ...]]] = []
        while token.kind != "eof":
            if len(self.nodes) >= MAX_NODES:
                raise r.error(f"the tree has more than {MAX_NODES:,} nodes", token)
            if root is not None and not stack:
                raise r.error("the tree is complete, but the file goes on", token)
            if token.kind != "word" or token.value not in ("p", "c", "t"):
                raise lex.unexpected(token, "a node: 'p' (a player's move), 'c' (chance) or 't' (an end)")
            kind = token.value
            node = self.named_node(token)
            above = stack[-1][2] if stack else self.zero
            if kind == "t":
                payoff, token = self.outcome(lex.next())
                node["payoffs"] = [a + b for a, b in zip(above, payoff)]
            else:
                actions, payoff, token = self.decision(token, node)
                acc = tuple(a + b for a, b in zip(above, payoff))
            if stack:
                parent, todo, _ = stack[-1]
                parent["moves"][todo.pop(0)] = node
                if not todo:
                    stack.pop()
            else:
                root = node
            self.nodes.append(node)
            if kind != "t":
                stack.append((node, list(actions), acc))
            elif root is node:
                raise r.error("the root of the tree is an end node: nobody moves", token)
        if root is None:
            raise lex.error("the file has no nodes", end)
        if stack:
            node, todo, _ = stack[-1]
            raise lex.error(
                f"the file ends before the tree is complete: {len(todo)} more move(s) expected after the node at "
                f"{node['_where']}",
                end,
            )
        return root

    def named_node(self, kind_token) -> dict[str, Any]:
        """A new node with where it starts and its name (read after the node's kind)."""
        where = self.lex.where(kind_token.pos)
        name = self.lex.expect("text", "the node's name in double quotes").value
        node: dict[str, Any] = {"_where": where}
        if name:
            node["description"] = name
            self.names[name] = self.names.get(name, 0) + 1
            node["_name"] = name
        return node

    def decision(self, kind_token, node: dict[str, Any]) -> tuple[list[str], tuple[Fraction, ...], Any]:
        """The rest of a player (``p``) or chance (``c``) node: its set or event, actions and outcome.

        Fills ``node`` and returns its action labels, the payoff of its
        outcome and the next token.
        """
        r, lex = self.r, self.lex
        if kind_token.value == "p":
            player = r.count(lex.next(), "a player number", positive=True)
            if player > self.n:
                raise r.error(f"player {player} does not exist (the file lists {self.n} players)", kind_token)
            key: Any = (player, r.count(lex.next(), "an information set number", positive=True))
            table: dict[Any, dict[str, Any]] = self.infosets
            what = f"information set {key[1]} of player {self.players[player - 1]!r}"
        else:
            key = r.count(lex.next(), "a chance event number", positive=True)
            table, what = self.events, f"chance event {key}"
        token = self.declared_actions(lex.next(), kind_token.value == "c", key, table, what)
        entry = table[key]
        payoff, token = self.outcome(token)
        actions = _clean_actions(entry["labels"])
        if kind_token.value == "p":
            node["player"] = self.players[key[0] - 1]
            node["_infoset"] = key
            node["_infoset_name"] = entry["name"]
        else:
            node["chance"] = dict(zip(actions, entry["probs"]))
        node["moves"] = {}
        return actions, payoff, token

    def declared_actions(self, token, chance: bool, key, table: dict[Any, dict[str, Any]], what: str):
        """Read the optional declaration ``"name" { "action" [probability] ... }`` of a set or event.

        Records it in ``table`` (a repeat must be identical); without one the
        set or event must be known already. Returns the token after it.
        """
        r, lex = self.r, self.lex
        if token.kind != "text":
            if key not in table:
                raise r.error(f"{what} is used before its actions are given", token)
            return token
        set_name = token.value
        lex.expect("{", f"'{{' opening the actions of {what}")
        labels, probs = [], []
        token = lex.next()
        while token.kind != "}":
            if token.kind != "text":
                raise lex.unexpected(token, f"an action label in double quotes or '}}' ({what})")
            labels.append(token.value)
            token = lex.next()
            if chance:
                if token.kind == ",":
                    token = lex.next()
                probs.append(r.number(token, f"the probability of {labels[-1]!r} at {what}"))
                token = lex.next()
                if token.kind == ",":
                    token = lex.next()
        if not labels:
            raise r.error(f"{what} has no actions", token)
        entry = {"name": set_name, "labels": labels, "probs": probs}
        if key in table and (table[key]["labels"], table[key]["probs"]) != (labels, probs):
            raise r.error(f"{what} is declared again with different actions or probabilities", token)
        table[key] = entry
        return lex.next()

    def outcome(self, token) -> tuple[tuple[Fraction, ...], Any]:
        """An outcome number, with its payoffs where they are given: (the payoffs, the next token)."""
        r, lex, n = self.r, self.lex, self.n
        number = r.count(token, "an outcome number (0 for none)", positive=False)
        token = lex.next()
        if number == 0:
            return self.zero, token
        if token.kind != "text":
            if number not in self.outcomes:
                raise r.error(f"outcome {number} is used before its payoffs are given", token)
            return self.outcomes[number], token
        lex_name = token.value
        lex.expect("{", f"'{{' opening the payoffs of outcome {number}")
        payoffs = []
        token = lex.next()
        while token.kind != "}":
            if token.kind == ",":
                token = lex.next()
                continue
            payoffs.append(r.number(token, f"a payoff of outcome {number} ({lex_name!r})"))
            token = lex.next()
        if len(payoffs) != n:
            raise r.error(f"outcome {number} ({lex_name!r}) has {len(payoffs)} payoffs for {n} players", token)
        if number in self.outcomes and self.outcomes[number] != tuple(payoffs):
            raise r.error(f"outcome {number} is declared again with different payoffs", token)
        self.outcomes[number] = tuple(payoffs)
        return tuple(payoffs), lex.next()

    def name_infosets_and_nodes(self) -> None:
        """Label the information sets (the file's name when unique, else ``player:number``).

        Node names that occur once become node ids.
        """
        label_of: dict[tuple[int, int], str] = {}
        used: dict[str, tuple[int, int]] = {}
        for key, entry in self.infosets.items():
            nm = entry["name"]
            if nm and nm not in used and sum(1 for e in self.infosets.values() if e["name"] == nm) == 1:
                label_of[key] = nm
            else:
                label_of[key] = f"{self.players[key[0] - 1]}:{key[1]}"
            used[label_of[key]] = key
        for node in self.nodes:
            if "_infoset" in node:
                node["infoset"] = label_of[node.pop("_infoset")]
                node.pop("_infoset_name", None)
            nm = node.pop("_name", None)
            if nm is not None and self.names[nm] == 1:
                node["id"] = nm


def load_efg(path: str | os.PathLike) -> tuple[Tree, dict[str, Any]]:
    """Read a ``.efg`` file into a :class:`~gametheory.extensive.Tree` with constant payoffs
    (and the file's parts as :func:`read_efg` returns them)."""
    name = os.fspath(path)
    data = read_capped(name, kind="efg")
    parsed = read_efg(_decode_bytes(data), file=name)
    tree = parse_tree(parsed["tree"], parsed["players"], (), (), file=name, allow_idle_players=True)
    return tree, parsed


def load_efg_scenario(path: str | os.PathLike) -> Scenario:
    """A ``.efg`` file as a parameter-free :class:`~gametheory.scenario.Scenario` whose
    payoffs are the reduced normal form and whose ``extensive`` is the tree."""
    tree, parsed = load_efg(path)
    title = parsed["title"] or os.path.basename(os.fspath(path))
    return tree_scenario(tree, title, file=os.fspath(path), description=parsed["comment"])


# ----------------------------------------------------------------------------- writing
def _number(x) -> str:
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    return repr(float(x)).replace("e+", "e")


def write_efg(tree, values: Mapping[str, Any], *, title: str = "", comment: str = "") -> str:
    """The text of a Gambit ``.efg`` file for ``tree`` at parameter ``values``.

    Chance probabilities and payoffs are evaluated (and checked) at ``values``
    and written exactly (``p/q``) when rational. Every end node gets its own
    outcome, named by the node's id (or ``Outcome k``); information sets are
    numbered per player in order of appearance and named by their labels;
    chance nodes are numbered 1, 2, .... Observers' payoffs are not written
    (the format has no place for them).
    """
    tv = tree.evaluate(values)
    players = " ".join(_quote(p, "player name") for p in tree.players)
    lines = [f"EFG 2 R {_quote(title, 'title')} {{ {players} }}", _quote(comment, "comment"), ""]
    numbers: dict[int, int] = {}
    per_player = [0] * len(tree.players)
    events = 0
    outcome = 0
    taken: set[str] = set()
    for node in tree.nodes:
        name = _quote(node.label, "node id")
        if node.kind == "decision":
            h = node.infoset
            if h not in numbers:
                per_player[node.player] += 1
                numbers[h] = per_player[node.player]
            info = tree.infosets[h]
            acts = " ".join(_quote(a, "action") for a in node.actions)
            lines.append(
                f"p {name} {node.player + 1} {numbers[h]} {_quote(info.label, 'information set')} {{ {acts} }} 0"
            )
        elif node.kind == "chance":
            events += 1
            acts = " ".join(
                f"{_quote(a, 'action')} {_number(p)}" for a, p in zip(node.actions, tv.probabilities[node.index])
            )
            lines.append(f'c {name} {events} "" {{ {acts} }} 0')
        else:
            outcome += 1
            label = node.label or f"Outcome {outcome}"
            while label in taken:
                label += "_"
            taken.add(label)
            pays = ", ".join(_number(v) for v in tv.payoffs[node.index][: len(tree.players)])
            lines.append(f"t {name} {outcome} {_quote(label, 'outcome name')} {{ {pays} }}")
    return "\n".join(lines) + "\n"


def scenario_efg(scenario, game) -> str:
    """The ``.efg`` text of a tree or Bayesian scenario at the parameter values of ``game``
    (a Bayesian game is written as its tree: chance draws the types, then each player moves
    knowing only its own type)."""
    values = scenario_values(scenario, game.parameters)
    if scenario.extensive is not None:
        tree = scenario.extensive
    elif scenario.bayesian is not None:
        tree = bayesian_tree(scenario.bayesian)
    else:
        raise InputError(
            "only game trees and Bayesian games can be written as .efg; this is a normal-form game (use --to nfg)",
            file=scenario.file,
        )
    return write_efg(tree, values, title=scenario.title, comment=scenario.description)
