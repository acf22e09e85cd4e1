"""Stable names for equilibria and for whole equilibrium sets ("regimes").

A regime label describes the *structure* of the equilibrium set, not its
numbers, so that it stays the same across a region of parameter space:

``pure(hold,target,stay_out) + mixed(deploy|accept,target|backstop,stay_out)``

* a pure equilibrium is ``pure(s_1,...,s_N)``: one strategy per player;
* a mixed one is ``mixed(S_1|...|S_N)``: each player's support (the strategies
  it plays with positive probability), strategies joined by ``,``, players by
  ``|``;
* ``k*mixed(...)`` when ``k`` distinct equilibria share one support (e.g. the
  two roots of a quadratic indifference system);
* ``continuum(...)``: a connected set of equilibria with several extreme points
  (a degenerate game), named by the union of their supports;
* a strategy name holding a character of this syntax (``,`` ``|`` ``(`` ``)``
  ``+`` ``*`` ``"``, a backslash) is written in double quotes (:func:`quote_name`),
  so that two different equilibrium sets never share a label;
* families are listed in a canonical order (pure before mixed, smaller supports
  first, then by strategy order in the file) and joined by `` + ``.

The same function names an equilibrium whether it comes from the closed forms of
:mod:`.symbolic` or from the general solver (:func:`regime_label`), so the two
paths can be compared point by point.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import lru_cache

Support = tuple[tuple[int, ...], ...]


#: A strategy name that needs no quoting in a label: none of the characters the label syntax uses.
_PLAIN_NAME = re.compile(r'[^,|()+*"\\\s]+(?: [^,|()+*"\\\s]+)*')


def quote_name(name: str) -> str:
    """A strategy name as it appears in a label: as it is when plain, else in double quotes.

    A name holding ``,`` ``|`` ``(`` ``)`` ``+`` ``*`` ``"``, a backslash or
    unusual spacing would otherwise let two different equilibrium sets share a
    label (``pure(a,b)`` from ``a,b`` or from ``a`` and ``b``); quoted, with
    ``"`` and ``\\`` backslash-escaped, every label reads back one way.
    """
    if _PLAIN_NAME.fullmatch(name):
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _supports_text(strategies: Sequence[Sequence[str]], support: Support) -> str:
    return "|".join(",".join(quote_name(strategies[i][k]) for k in s) for i, s in enumerate(support))


def family_label(strategies: Sequence[Sequence[str]], support: Support) -> str:
    """The label of one equilibrium family, from each player's support (strategy indices)."""
    if all(len(s) == 1 for s in support):
        return "pure(" + ",".join(quote_name(strategies[i][s[0]]) for i, s in enumerate(support)) + ")"
    return "mixed(" + _supports_text(strategies, support) + ")"


def _continuum_label(strategies: Sequence[Sequence[str]], support: Support) -> str:
    return "continuum(" + _supports_text(strategies, support) + ")"


def support_key(support: Support, kind: int = 0) -> tuple:
    """Canonical sort key: pure before mixed before continua, smaller supports first, then file order."""
    pure = all(len(s) == 1 for s in support)
    return (kind, 0 if pure else 1, sum(len(s) for s in support), support)


def combine(strategies: Sequence[Sequence[str]], supports: Sequence[Support], continua: Sequence[Support] = ()) -> str:
    """The regime label of an equilibrium set given the supports of its members.

    ``supports`` may repeat (several equilibria with one support); ``continua``
    are the support unions of components with more than one extreme point.
    """
    counts = Counter(tuple(tuple(s) for s in sup) for sup in supports)
    items = [(support_key(sup), k, family_label(strategies, sup)) for sup, k in counts.items()]
    items += [(support_key(sup, 1), 1, _continuum_label(strategies, sup)) for sup in set(continua)]
    if not items:
        return "none"
    items.sort(key=lambda t: t[0])
    return " + ".join(text if k == 1 else f"{k}*{text}" for _, k, text in items)


def regime_label(solution) -> str:
    """The regime label of a solved game (a :class:`~gametheory.solution.Solution`).

    Equilibria that are alone in their component contribute their family label;
    a component with several extreme points contributes one ``continuum(...)``.
    """
    game = solution.game
    by_component: dict[object, list] = {}
    for k, eq in enumerate(solution.equilibria):
        key = eq.component if eq.component is not None else ("solo", k)
        by_component.setdefault(key, []).append(eq)
    supports: list[Support] = []
    continua: list[Support] = []
    for members in by_component.values():
        if len(members) == 1:
            supports.append(members[0].support)
        else:
            union = tuple(
                tuple(sorted(set().union(*(set(m.support[i]) for m in members)))) for i in range(game.num_players)
            )
            continua.append(union)
    return combine(game.strategies, supports, continua)


@lru_cache(maxsize=4096)
def label_count(label: str) -> int:
    """How many equilibria (or components) a label names: ``2*mixed(a|b) + pure(x,y)`` -> 3; ``none`` -> 0.

    Cached: a chunked sweep or Monte Carlo run asks again for every chunk's few dozen labels."""
    if label in ("none", "boundary", "unknown", ""):
        return 0
    total = 0
    for part in label_parts(label):
        head, star, _ = part.partition("*")
        total += int(head) if star and head.isdigit() else 1
    return total


def is_regime_label(label: str, strategies: Sequence[Sequence[str]]) -> bool:
    """Whether ``label`` could name an equilibrium set of a game with these ``strategies``.

    ``none`` and ``boundary``, or families joined by `` + `` (each optionally
    ``k*``-prefixed) whose ``pure(...)``, ``mixed(...)`` or ``continuum(...)``
    part names, for every player in order, strategies of that player in file
    order (one each for ``pure``). Used to refuse invented labels in files
    the tool reads back (checkpoints).
    """
    if label in ("none", "boundary"):
        return True
    return all(_is_family(part, strategies) for part in label_parts(label))


def _is_family(part: str, strategies: Sequence[Sequence[str]]) -> bool:
    head, star, rest = part.partition("*")
    if star and head.isdigit() and int(head) >= 2:
        part = rest
    for kind in ("pure", "mixed", "continuum"):
        if part.startswith(kind + "(") and part.endswith(")"):
            return _names_supports(part[len(kind) + 1 : -1], strategies, kind == "pure")
    return False


def _names_supports(text: str, strategies: Sequence[Sequence[str]], pure: bool) -> bool:
    """Whether ``text`` is one support per player (strategy names joined by ``,``; players by ``|``,
    or by ``,`` with one strategy each when ``pure``), trying every split (names may contain separators)."""
    between = "," if pure else "|"

    def support_ends(pos: int, names: Sequence[str], after: int) -> Iterator[int]:
        for k in range(after + 1, len(names)):
            shown = quote_name(names[k])  # as the label writes it
            if text.startswith(shown, pos):
                end = pos + len(shown)
                yield end
                if not pure and text.startswith(",", end):
                    yield from support_ends(end + 1, names, k)

    def from_player(i: int, pos: int) -> bool:
        for end in support_ends(pos, strategies[i], -1):
            if i == len(strategies) - 1:
                if end == len(text):
                    return True
            elif text.startswith(between, end) and from_player(i + 1, end + 1):
                return True
        return False

    return bool(strategies) and from_player(0, 0)


def label_parts(label: str) -> list[str]:
    """The families of a regime label (``2*mixed(a|b)``, ``pure(x,y)``), split at `` + `` outside quoted names."""
    parts, start, quoted, k = [], 0, False, 0
    while k < len(label):
        ch = label[k]
        if quoted and ch == "\\":
            k += 2
            continue
        if ch == '"':
            quoted = not quoted
        elif not quoted and label.startswith(" + ", k):
            parts.append(label[start:k])
            start = k + 3
            k += 3
            continue
        k += 1
    parts.append(label[start:])
    return parts


#: One family of a regime label read back: how many equilibria, ``pure``/``mixed``/``continuum``, and each
#: player's support as strategy names (file order).
ParsedFamily = tuple[int, str, tuple[tuple[str, ...], ...]]


def parse_label(label: str) -> list[ParsedFamily]:
    """The families a regime label names, read back from its text alone (quoted names make it unambiguous).

    ``2*mixed(a,b|c) + pure(x,"y,z")`` -> ``[(2, "mixed", (("a", "b"), ("c",))), (1, "pure", (("x",), ("y,z",)))]``;
    ``none`` (and ``boundary``, ``unknown``, ``""``) -> ``[]``. A part that is not a family raises ValueError.
    """
    if label in ("none", "boundary", "unknown", ""):
        return []
    return [_parse_family(part) for part in label_parts(label)]


def _parse_family(part: str) -> ParsedFamily:
    head, star, rest = part.partition("*")
    count = 1
    if star and head.isdigit():
        count, part = int(head), rest
    kind, paren, inner = part.partition("(")
    if kind not in ("pure", "mixed", "continuum") or not paren or not inner.endswith(")"):
        raise ValueError(f"not an equilibrium family: {part!r}")
    names, seps = _tokens(inner[:-1])
    if kind == "pure":
        return count, kind, tuple((name,) for name in names)
    supports: list[tuple[str, ...]] = []
    current: list[str] = []
    for k, name in enumerate(names):
        current.append(name)
        if k == len(seps) or seps[k] == "|":
            supports.append(tuple(current))
            current = []
    return count, kind, tuple(supports)


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """Strategy names and the separators (``,`` or ``|``) between them, unquoting quoted names."""
    names: list[str] = []
    seps: list[str] = []
    k = 0
    while True:
        if text.startswith('"', k):
            chars, k = [], k + 1
            while k < len(text) and text[k] != '"':
                if text[k] == "\\":
                    k += 1
                chars.append(text[k])
                k += 1
            names.append("".join(chars))
            k += 1
        else:
            match = _PLAIN_NAME.match(text, k)
            if match is None:
                raise ValueError(f"not an equilibrium family: {text!r}")
            names.append(match.group())
            k = match.end()
        if k >= len(text):
            return names, seps
        if text[k] not in ",|":
            raise ValueError(f"not an equilibrium family: {text!r}")
        seps.append(text[k])
        k += 1
