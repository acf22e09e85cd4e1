"""Gambit's strategic-form ``.nfg`` file format: read it and write it.

The format (Gambit manual, "Game representation formats"; the parser is
``src/games/file.cc`` in the Gambit sources) is a stream of whitespace-separated
tokens. Only text inside double quotes is significant character by character::

    NFG 1 R "Selten (IJGT, 75), Figure 2, normal form"
    { "Player 1" "Player 2" } { 3 2 }

    1 1 0 2 0 2 1 1 0 3 2 0

1. The prologue: ``NFG``, the version ``1``, the data type ``R`` (rational) or
   ``D`` (double; obsolete, read the same way), the title, and the player names.
2. The strategies: either the number of strategies of each player (``{ 3 2 }``,
   strategies are then named ``"1"``, ``"2"``, ...) or one list of names per
   player (``{ { "T" "M" "B" } { "L" "R" } }``), then an optional comment string.
3. The body, in one of two versions:

   * payoff version: a flat list of numbers, the payoffs of all players for one
     pure profile after another;
   * outcome version: a list of outcomes ``{ "name" 1, 1 }`` (commas optional),
     numbered 1, 2, ... in order, then one outcome number per profile (``0`` is
     the null outcome: every payoff zero).

   Profiles come in Gambit's order: the FIRST player's strategy varies fastest,
   like the digits of an odometer read right to left. In the example above the
   payoffs ``1 1 | 0 2 | 0 2 | 1 1 | 0 3 | 2 0`` belong to the profiles
   (1,1) (2,1) (3,1) (1,2) (2,2) (3,2).

Numbers are integers, decimals (``0.25``, ``.5``, ``1.5e3``, ``2e-7``) or
fractions (``3/4``), with an optional minus sign; Gambit refuses a ``+`` sign,
in front or in an exponent, and so does this reader. Gambit stores every number
as an exact rational, and so does this reader: payoffs become
:class:`fractions.Fraction` (``0.1`` is exactly 1/10), whatever the data type
letter says.

Quoted strings follow Gambit's rule: a backslash before a double quote makes the
quote part of the string (``"say \\"no\\""`` is ``say "no"``); any other
backslash is kept as written. Empty or repeated player and strategy names are
made unique the way Gambit does it, by appending ``_1``, ``_2``, ...

Every problem in a file raises an :class:`~gametheory.errors.InputError` that
names the file and the line and column (or the position in the payoff list).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .._limits import check_float_range, check_game_memory, exact_number, read_capped
from ..errors import GameTooLargeError, InputError
from ..game import NormalFormGame

__all__ = ["DEFAULT_MAX_PROFILES", "gambit_label_issues", "load_nfg", "read_nfg", "write_nfg"]

DEFAULT_MAX_PROFILES = 10_000_000
"""Largest number of pure strategy profiles a file may declare (the product of the
strategy counts). Checked before any payoff is read, so a file that announces an
astronomically large game fails at once instead of exhausting memory."""

# Gambit's lexer separates tokens by the C isspace() characters.
_TOKEN = re.compile(r"[ \t\n\r\f\v]*(?:([{},])|(\")|([^ \t\n\r\f\v{},\"]+))?")
_NUMBER = re.compile(
    r"(?P<sign>-?)(?:(?P<num>\d+)/(?P<den>\d+)"
    r"|(?P<int>\d*)(?:\.(?P<frac>\d*))?(?:[eE](?P<exp>-?\d+))?)"
)
_COUNT = re.compile(r"\+?[0-9]{1,18}")
"""A count or an index: at most 18 digits (no number of strategies or outcomes is larger)."""
_WORD = re.compile(r"\S+")


# --------------------------------------------------------------------------- numbers
class _BadNumber(Exception):
    """A token that is not a number; ``str()`` says why (empty when it simply is not one)."""


def _parse_number(word: str) -> Fraction:
    """The exact value of a Gambit number token: ``3``, ``-0.25``, ``.5``, ``1.5e3``, ``3/4``."""
    m = _NUMBER.fullmatch(word)
    if m is None and "+" in word:
        raise _BadNumber("Gambit accepts no '+' sign, neither in front nor in an exponent")
    if m is None or (m["num"] is None and not m["int"] and not m["frac"]):
        raise _BadNumber("")
    try:
        value = exact_number(word, what="the number")
        check_float_range(value, what="the number")
    except InputError as exc:
        raise _BadNumber(exc.message.removeprefix(f"the number {word!r} ").removeprefix("the number ")) from None
    return value


def _number_message(word: str, error: _BadNumber) -> str:
    reason = f" ({error})" if str(error) else ""
    return f"{_shorten(word)!r} is not a number{reason}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _number_texts(game: NormalFormGame) -> np.ndarray:
    """The payoff array as text: exact rationals as ``p`` or ``p/q``, floats as their shortest repr."""
    if game.exact:
        return np.frompyfunc(str, 1, 1)(game.payoffs)
    values = np.asarray(game.payoffs, dtype=float)
    if not np.all(np.isfinite(values)):
        raise InputError("a game with payoffs that are not finite numbers cannot be written to a .nfg file")
    # Gambit refuses a '+' in an exponent: write 1e20, not Python's 1e+20.
    return np.frompyfunc(lambda v: repr(float(v)).replace("e+", "e"), 1, 1)(values)


# --------------------------------------------------------------------------- strings
def _decode_string(body: str) -> str:
    """Gambit's reading of the characters between two quotes.

    A backslash is dropped when it is read; if the next character is a quote the
    quote is kept, otherwise the backslash is put back in front of it. (So ``\\"``
    is a quote and ``\\x`` stays ``\\x``; a run of backslashes is not an escape.)
    """
    out: list[str] = []
    lastslash = False
    for ch in body:
        if lastslash and ch == '"':
            out.append('"')
        elif lastslash:
            out.append("\\" + ch)
        elif ch != "\\":
            out.append(ch)
        lastslash = ch == "\\"
    return "".join(out)


def _quote(label: str, what: str) -> str:
    """``label`` as a quoted .nfg string that Gambit (and :func:`read_nfg`) reads back unchanged."""
    encoded = label.replace('"', '\\"')
    if "\\" in label and _decode_string(encoded) != label:
        raise InputError(
            f"{what} {label!r} cannot be written to a .nfg file: Gambit's format has no way to "
            "write a backslash that comes before a double quote, before another backslash or at "
            "the end of a name"
        )
    return f'"{encoded}"'


def _normalize_labels(labels: Sequence[str]) -> list[str]:
    """Make labels distinct and non-empty as Gambit does on reading: a repeated or empty
    label ``x`` becomes ``x_1``, ``x_2``, ... (skipping names already in use)."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    used = set(labels)
    visited: dict[str, int] = {}
    out = []
    for label in labels:
        if counts[label] == 1 and label != "":
            out.append(label)
            continue
        while True:
            visited[label] = visited.get(label, 0) + 1
            candidate = f"{label}_{visited[label]}"
            if candidate not in used:
                break
        used.add(candidate)
        out.append(candidate)
    return out


# --------------------------------------------------------------------------- lexer
@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "{", "}", ",", "text" (a quoted string), "word" (anything else), "eof"
    value: str
    pos: int

    def describe(self) -> str:
        if self.kind == "eof":
            return "the end of the file"
        if self.kind == "text":
            return f"the string {_shorten(self.value)!r}"
        return repr(_shorten(self.value))


class _Lexer:
    """Gambit's tokens, with positions for error messages."""

    def __init__(self, text: str, file: str | None):
        self.text = text
        self.file = file
        self.pos = 0

    def where(self, pos: int, column: bool = True) -> str:
        line = self.text.count("\n", 0, pos) + 1
        if not column:
            return f"line {line}"
        return f"line {line}, column {pos - self.text.rfind(chr(10), 0, pos)}"

    def error(self, message: str, pos: int, column: bool = True) -> InputError:
        return InputError(message, file=self.file, path=self.where(pos, column))

    def next(self) -> _Token:
        m = _TOKEN.match(self.text, self.pos)  # never None: the pattern matches the empty string
        if m.group(1) is not None:
            self.pos = m.end()
            return _Token(m.group(1), m.group(1), m.start(1))
        if m.group(3) is not None:
            self.pos = m.end()
            return _Token("word", m.group(3), m.start(3))
        if m.group(2) is not None:
            return self._string(m.start(2))
        self.pos = m.end()
        return _Token("eof", "", len(self.text))

    def _string(self, start: int) -> _Token:
        i = start + 1
        text = self.text
        while True:  # the closing quote is the first one not preceded by a backslash
            j = text.find('"', i)
            if j < 0:
                raise self.error("unterminated string: no closing double quote", start)
            if text[j - 1] != "\\":
                break
            i = j + 1
        body = text[start + 1 : j]
        self.pos = j + 1
        return _Token("text", _decode_string(body) if "\\" in body else body, start)

    def expect(self, kind: str, what: str) -> _Token:
        token = self.next()
        if token.kind != kind:
            raise self.unexpected(token, what)
        return token

    def unexpected(self, token: _Token, what: str) -> InputError:
        if token.kind == "eof":
            return self.error(f"the file ends too early: expected {what}", token.pos)
        return self.error(f"expected {what}, found {token.describe()}", token.pos)


# --------------------------------------------------------------------------- reading
_OTHER_FORMAT = {
    "NFG": ("EFG", "an EFG file is an extensive-form game"),
    "EFG": ("NFG", "an NFG file is a strategic-form game"),
}


def read_prologue(lex: _Lexer, magic: str, version: str) -> tuple[str, list[str]]:
    """Read the prologue shared by Gambit's .nfg and .efg files: ``NFG 1 R "title" { "player" ... }``
    (or ``EFG 2 R ...``); return the title and the player names (at least one)."""
    token = lex.next()
    if token.kind != "word" or token.value != magic:
        other, what = _OTHER_FORMAT[magic]
        hint = f" ({what})" if token.value == other else ""
        raise lex.error(
            f"not a Gambit .{magic.lower()} file{hint}: it must begin with '{magic} {version} R', "
            f"found {token.describe()}",
            token.pos,
        )
    token = lex.next()
    if token.kind != "word" or token.value != version:
        raise lex.error(
            f"unsupported .{magic.lower()} version: expected {version}, found {token.describe()}", token.pos
        )
    token = lex.next()
    if token.kind != "word" or token.value not in ("R", "D"):
        raise lex.error(f"expected the data type R or D after '{magic} {version}', found {token.describe()}", token.pos)
    title = lex.expect("text", "the game title in double quotes").value
    start = lex.expect("{", "'{' opening the list of player names")
    players: list[str] = []
    while (token := lex.next()).kind == "text":
        players.append(token.value)
    if token.kind != "}":
        raise lex.unexpected(token, "a player name in double quotes or '}'")
    if not players:
        raise lex.error("the game has no players", start.pos)
    return title, players


def read_nfg(text: str, *, file: str | None = None, max_profiles: int = DEFAULT_MAX_PROFILES) -> NormalFormGame:
    """Parse the text of a Gambit ``.nfg`` file (either version) into an exact game.

    ``file`` only names the source in error messages. A file declaring more than
    ``max_profiles`` pure profiles is refused with a
    :class:`~gametheory.errors.GameTooLargeError` before its payoffs are read.
    Raises :class:`~gametheory.errors.InputError` for anything that is not a
    well-formed .nfg file.

    >>> g = read_nfg('NFG 1 R "PD" { "Row" "Col" } { 2 2 }  3 3  5 0  0 5  1 1')
    >>> g.payoffs[0].tolist()
    [[Fraction(3, 1), Fraction(0, 1)], [Fraction(5, 1), Fraction(1, 1)]]
    >>> g.payoffs[1].tolist()
    [[Fraction(3, 1), Fraction(5, 1)], [Fraction(0, 1), Fraction(1, 1)]]
    """
    if max_profiles < 1:
        raise InputError(f"max_profiles must be a positive integer, got {max_profiles!r}")
    if isinstance(text, (bytes, bytearray)):
        text = _decode_bytes(bytes(text))
    if text.startswith("\ufeff"):
        text = text[1:]
    lex = _Lexer(text, file)

    title, players = read_prologue(lex, "NFG", "1")

    strategies, num_profiles = _read_strategies(lex, players, max_profiles)
    try:  # before a payoff is read: what holding this game would take
        check_game_memory(len(players), tuple(len(names) for names in strategies))
    except GameTooLargeError as exc:
        raise exc.located(file=file) from None

    token = lex.next()
    if token.kind == "text":  # the optional comment
        token = lex.next()
    players = _normalize_labels(players)
    strategies = [_normalize_labels(names) if isinstance(names, list) else names for names in strategies]
    shape = tuple(len(names) for names in strategies)

    if token.kind == "{":
        values = _read_outcome_body(lex, players, strategies, num_profiles)
    elif token.kind == "word":
        values = _read_payoff_body(lex, token.pos, players, strategies, num_profiles)
    else:
        raise lex.unexpected(token, "the payoffs (numbers) or the outcome list ('{')")

    # values[k * N + i]: payoff of player i at the k-th profile in Gambit's order (player 1
    # fastest). In C order that is an array of axes (a_{N-1}, ..., a_0, player);
    # reversing all axes gives ours: (player, a_0, ..., a_{N-1}).
    n = len(players)
    table = np.empty(num_profiles * n, dtype=object)
    table[:] = values
    payoffs = table.reshape(shape[::-1] + (n,)).transpose(tuple(range(n, -1, -1))).copy()
    return NormalFormGame(payoffs, tuple(players), tuple(tuple(s) for s in strategies), title)


class _Numbered(Sequence[str]):
    """The names "1", "2", ..., "count", made only when needed (a short file may
    declare millions of strategies and then fail for want of payoffs)."""

    def __init__(self, count: int):
        self.count = count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [str(k + 1) for k in range(self.count)[index]]
        if not -self.count <= index < self.count:
            raise IndexError(index)
        return str(index % self.count + 1)


def _read_strategies(lex: _Lexer, players: list[str], max_profiles: int) -> tuple[list[Sequence[str]], int]:
    """The strategy block, either ``{ 3 2 }`` or ``{ { "T" "B" } { "L" "R" } }``."""
    lex.expect("{", '\'{\' opening the strategy list (counts like { 3 2 } or names like { { "T" "B" } ... })')
    token = lex.next()
    strategies: list[Sequence[str]] = []
    num_profiles = 1
    if token.kind == "{":  # one list of names per player
        for player in players:
            if token.kind != "{":
                raise lex.unexpected(token, f"'{{' opening the strategy names of player {player!r}")
            names: list[str] = []
            while (token := lex.next()).kind == "text":
                names.append(token.value)
            if token.kind != "}":
                raise lex.unexpected(token, f"a strategy name of player {player!r} in double quotes or '}}'")
            if not names:
                raise lex.error(f"player {player!r} has no strategies", token.pos)
            num_profiles = _count_profiles(lex, num_profiles, len(names), token.pos, max_profiles)
            strategies.append(names)
            token = lex.next()
    else:  # one strategy count per player
        for player in players:
            if token.kind != "word" or not _COUNT.fullmatch(token.value):
                raise lex.unexpected(token, f"the number of strategies of player {player!r} (a positive integer)")
            count = int(token.value)
            if count == 0:
                raise lex.error(f"player {player!r} has no strategies", token.pos)
            num_profiles = _count_profiles(lex, num_profiles, count, token.pos, max_profiles)
            strategies.append(_Numbered(count))
            token = lex.next()
    if token.kind != "}":
        raise lex.unexpected(token, f"'}}' closing the strategy list ({len(players)} players were declared)")
    return strategies, num_profiles


def _count_profiles(lex: _Lexer, so_far: int, count: int, pos: int, max_profiles: int) -> int:
    total = so_far * count
    if total > max_profiles:
        error = GameTooLargeError(
            f"the game has more than {max_profiles:,} pure strategy profiles, the most this reader accepts"
        )
        raise error.located(file=lex.file, path=lex.where(pos))
    return total


def _profile_text(k: int, strategies: list[Sequence[str]]) -> str:
    """The k-th profile in Gambit's order (player 1 fastest), as strategy names."""
    names = []
    for strats in strategies:
        k, a = divmod(k, len(strats))
        names.append(strats[a])
    return "(" + ", ".join(repr(_shorten(x, 20)) for x in names) + ")"


def _nth_word_pos(text: str, start: int, index: int) -> int:
    """Position in ``text`` of the ``index``-th (0-based) whitespace-separated word after ``start``."""
    for i, m in enumerate(_WORD.finditer(text, start)):
        if i == index:
            return m.start()
    return len(text.rstrip())


def _read_payoff_body(
    lex: _Lexer, start: int, players: list[str], strategies: list[Sequence[str]], num_profiles: int
) -> list[Fraction]:
    """The flat payoff list: ``num_profiles * len(players)`` numbers, then the end of the file."""
    text = lex.text
    words = text[start:].split()
    n = len(players)
    expected = num_profiles * n
    cache: dict[str, Fraction] = {}
    values: list[Fraction] = []
    append = values.append
    for index, word in enumerate(words[:expected]):
        value = cache.get(word)
        if value is None:
            try:
                value = cache[word] = _parse_number(word)
            except _BadNumber as error:
                k, i = divmod(index, n)
                raise lex.error(
                    f"payoff {index + 1} of {expected} (player {players[i]!r} at profile "
                    f"{_profile_text(k, strategies)}): {_number_message(word, error)}",
                    _nth_word_pos(text, start, index),
                ) from None
        append(value)
    if len(words) != expected:
        pos = _nth_word_pos(text, start, expected) if len(words) > expected else len(text.rstrip())
        raise lex.error(
            f"expected {expected} payoffs for {_plural(num_profiles, 'profile')} x {_plural(n, 'player')}, "
            f"found {len(words)}",
            pos,
            column=False,
        )
    return values


def _read_outcome_body(
    lex: _Lexer, players: list[str], strategies: list[Sequence[str]], num_profiles: int
) -> list[Fraction]:
    """The outcome list ``{ { "name" 1, 2 } ... }`` and one outcome number per profile;
    returns the payoffs of every profile, flat as in the payoff version."""
    n = len(players)
    outcomes: list[tuple[Fraction, ...]] = [tuple(Fraction(0) for _ in range(n))]  # 0: the null outcome
    while (token := lex.next()).kind == "{":
        number = len(outcomes)
        name = lex.expect("text", f"the name of outcome {number} in double quotes").value
        label = f"outcome {number} ({_shorten(name, 20)!r})"
        payoffs = []
        token = lex.next()
        for player in players:
            if token.kind != "word":
                raise lex.unexpected(token, f"{label}: the payoff of player {player!r} ({n} payoffs per outcome)")
            try:
                payoffs.append(_parse_number(token.value))
            except _BadNumber as error:
                raise lex.error(
                    f"{label}: payoff of player {player!r}: {_number_message(token.value, error)}", token.pos
                ) from None
            token = lex.next()
            if token.kind == ",":
                token = lex.next()
        if token.kind != "}":
            raise lex.unexpected(token, f"'}}' closing {label} after its {n} payoffs")
        outcomes.append(tuple(payoffs))
    if token.kind != "}":
        raise lex.unexpected(token, "'{' opening an outcome or '}' closing the outcome list")

    text, start = lex.text, lex.pos
    words = text[start:].split()
    last = len(outcomes) - 1
    values: list[Fraction] = []
    for index, word in enumerate(words[:num_profiles]):
        if not _COUNT.fullmatch(word) or int(word) > last:
            problem = "is not an outcome number" if not _COUNT.fullmatch(word) else "is out of range"
            raise lex.error(
                f"outcome index {_shorten(word)!r} for profile {index + 1} of {num_profiles} "
                f"{_profile_text(index, strategies)} {problem}: the file defines outcomes 1 to {last} "
                "(0 means every payoff is zero)",
                _nth_word_pos(text, start, index),
            )
        values.extend(outcomes[int(word)])
    if len(words) != num_profiles:
        pos = _nth_word_pos(text, start, num_profiles) if len(words) > num_profiles else len(text.rstrip())
        raise lex.error(
            f"expected {num_profiles} outcome indices, one per profile, found {len(words)}", pos, column=False
        )
    return values


def _decode_bytes(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark); files from old Gambit versions may be Latin-1."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def load_nfg(path: str | os.PathLike, *, max_profiles: int = DEFAULT_MAX_PROFILES) -> NormalFormGame:
    """Read a Gambit ``.nfg`` file; every error message starts with the file name."""
    name = os.fspath(path)
    data = read_capped(name, kind="nfg")
    return read_nfg(_decode_bytes(data), file=str(name), max_profiles=max_profiles)


# --------------------------------------------------------------------------- writing
_GAMBIT_LABEL = re.compile(r"[!-~]+(?: [!-~]+)*")


def gambit_label_issues(game: NormalFormGame) -> list[str]:
    """Names in ``game`` that stop Gambit 16.7 from opening its .nfg file.

    The file format can hold any text, and :func:`read_nfg` reads it all back, but
    Gambit 16.7 (the version checked) accepts player and strategy names only if
    they are printable ASCII with single spaces between words and none at either
    end, and reads titles as ASCII. It also names players and strategies "1",
    "2", ... before renaming them in file order, so it refuses a name that equals
    the number of a later player or strategy (strategies "3" "x" "y"). Returns
    one message per offending name, empty when Gambit will open the file; a
    command that exports games can show them as a warning.
    """
    issues = []
    if not game.title.isascii():
        issues.append(f"title {game.title!r}: Gambit reads titles as ASCII")
    rule = "Gambit accepts printable ASCII with single spaces, none at either end"

    def check(names: Sequence[str], what: str) -> None:
        for position, name in enumerate(names, start=1):
            if not _GAMBIT_LABEL.fullmatch(name):
                issues.append(f"{what} {name!r}: {rule}")
            elif name.isdigit() and name == str(int(name)) and position < int(name) <= len(names):
                issues.append(
                    f"{what} {name!r}: Gambit refuses a name equal to the number of a later {what.split()[0]} "
                    f"(it is number {position})"
                )

    check(game.players, "player")
    for player, strats in zip(game.players, game.strategies):
        check(strats, f"strategy of player {player!r}")
    return issues


def write_nfg(game: NormalFormGame, *, form: str = "payoff", comment: str = "") -> str:
    """The text of a Gambit ``.nfg`` file holding ``game``.

    ``form="payoff"`` writes the flat payoff list (one line per pure profile, in
    Gambit's order); ``form="outcome"`` writes each distinct payoff vector once as
    an outcome (``"Outcome 1"``, ``"Outcome 2"``, ...) and then the outcome number
    of every profile, one line per row of the first player's strategies. Both forms
    list the strategy names (Gambit's own writer does the same), so
    ``read_nfg(write_nfg(g))`` gives back the same players, strategies, title and
    payoffs. Exact payoffs are written as integers or fractions ``p/q``; float
    payoffs as their shortest decimal, which reads back as the rational number
    with that decimal value (equal to the float after ``to_float()``).
    ``comment`` fills the optional comment field. Observers (non-players whose
    payoffs a scenario tracks) are not written: the format has no place for them,
    and they do not change the game's equilibria.

    A name with a backslash before a quote, before another backslash or at its
    end has no spelling in the format and raises :class:`~gametheory.errors.InputError`.
    Recent Gambit versions accept fewer names than the format can hold; see
    :func:`gambit_label_issues`.
    """
    if form not in ("payoff", "outcome"):
        raise InputError(f"unknown .nfg form {form!r}: use 'payoff' or 'outcome'")
    n = game.num_players
    players = " ".join(_quote(name, "player name") for name in game.players)
    lines = [f"NFG 1 R {_quote(game.title, 'title')} {{ {players} }}", ""]
    strategy_lines = [
        "{ " + " ".join(_quote(s, f"strategy name of {player!r}") for s in strats) + " }"
        for player, strats in zip(game.players, game.strategies)
    ]
    lines.append("{ " + "\n".join(strategy_lines))
    lines.append("}")
    lines.append(_quote(comment, "comment"))
    lines.append("")

    # Profiles in Gambit's order, each with the payoffs of all players (see read_nfg).
    table = _number_texts(game).transpose(tuple(range(n, 0, -1)) + (0,)).reshape(-1, n).tolist()
    if form == "payoff":
        lines.extend(" ".join(row) for row in table)
    else:
        numbers: dict[tuple[str, ...], int] = {}
        indices = [numbers.setdefault(tuple(row), len(numbers) + 1) for row in table]
        lines.append("{")
        lines.extend(f'{{ "Outcome {k}" ' + ", ".join(key) + " }" for k, key in enumerate(numbers, start=1))
        lines.append("}")
        width = game.shape[0]  # one line per row of player 1's strategies
        lines.extend(" ".join(map(str, indices[k : k + width])) for k in range(0, len(indices), width))
    return "\n".join(lines) + "\n"
