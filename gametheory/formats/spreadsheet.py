"""A game typed into a spreadsheet (``.csv`` or ``.xlsx``), read as a scenario.

People write a bimatrix game in a spreadsheet in one of two layouts, and a
game of three or more players in a third; this module reads all three:

* **pairs**: one table whose corner cell names the players (``Europe \\ Russia``,
  also ``Europe / Russia`` or ``Europe vs Russia``; ``Row`` and ``Column`` when
  the corner is empty), the column player's strategies along the first row,
  the row player's down the first column, and in every cell the two payoffs
  ``a, b`` (also ``a; b`` or ``(a, b)``);
* **blocks**: one table per player (separated by a blank row, or on separate
  sheets of a workbook), each with the same strategy names, whose corner cell
  (or, when it is empty, the sheet's name) names the player whose payoffs the
  table holds; the first table belongs to the row player;
* **layers** (three or more players, as textbooks print them): one table of
  payoff tuples per strategy profile of the other players, each headed by a
  row of one cell that names them (``US = backstop``; with four players
  ``US = backstop, China = abstain``); the corner cell names the row and
  column players as in the pairs layout, and every cell holds one payoff per
  player: the row player's, the column player's, then the others' in the
  order the heading names them (``a, b, c``). Every profile of the others
  must have its table, once.

A payoff is a number or an expression of parameters (``v_e - c_e``), parsed by
the allowlisted parser of :mod:`gametheory.expressions` (a leading ``=``, as in
a spreadsheet formula, is dropped); numbers stay exact (``0.1`` is 1/10).
Parameters are declared in a table (or a sheet) headed ``parameters``, one row
each: name, default, and optionally low, high (the range) and a description.

Every problem is an :class:`~gametheory.errors.InputError` that names the file,
the sheet and the cell (``sheet 'payoffs', cell C4 (row 4, column 3)``).
openpyxl reads the workbooks; the CSV module of the standard library the rest.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import ExpressionError, InputError
from ..expressions import parse_expression
from ..numtext import exact_text, parameter_text
from ..scenario import Scenario, parse_scenario

__all__ = [
    "SPREADSHEET_SUFFIXES",
    "is_spreadsheet",
    "load_spreadsheet",
    "spreadsheet_scenario",
    "write_spreadsheet_json",
]

SPREADSHEET_SUFFIXES = (".csv", ".xlsx")
#: Spreadsheets are for games people type; larger files are refused before they are read.
MAX_FILE_BYTES = 5_000_000
_CORNER_SPLIT = re.compile(r"\s*(?:\\|/|\bvs\.?\b|\bversus\b)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class _Cell:
    """One non-empty cell: its sheet, 1-based row and column, and its content (text or number)."""

    sheet: str
    row: int
    column: int
    value: Any

    @property
    def where(self) -> str:
        return _place(self.sheet, self.row, self.column)

    def text(self) -> str:
        return _cell_text(self.value)


def is_spreadsheet(path: str | os.PathLike) -> bool:
    """Whether ``path`` names a file this module reads (by its extension)."""
    return os.fspath(path).lower().endswith(SPREADSHEET_SUFFIXES)


def _place(sheet: str, row: int, column: int) -> str:
    """Where a cell is, as a person finds it: ``sheet 'payoffs', cell C4 (row 4, column 3)``."""
    return f"sheet {sheet!r}, cell {_column_letters(column)}{row} (row {row}, column {column})"


def _column_letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell_text(value: Any) -> str:
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return str(value).strip()


# ------------------------------------------------------------------ reading
def _read_sheets(file: str) -> list[tuple[str, list[list[Any]]]]:
    """The sheets of the file as (name, rows of raw cell values); a CSV file is one sheet named after it."""
    _check_size(file)
    if file.lower().endswith(".csv"):
        try:
            with open(file, encoding="utf-8-sig", newline="") as handle:
                rows = [list(row) for row in csv.reader(handle)]
        except UnicodeDecodeError:
            raise InputError("file is not UTF-8 text", file=file) from None
        except csv.Error as exc:
            raise InputError(f"not a readable CSV file: {exc}", file=file) from None
        return [(os.path.splitext(os.path.basename(file))[0], rows)]
    import openpyxl

    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors on bad files
        raise InputError(f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})", file=file) from None
    try:
        return [(sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)]) for sheet in book.worksheets]
    finally:
        book.close()


def _check_size(file: str) -> None:
    """Refuse a missing file, or one too large to be a game typed by hand, before reading it."""
    if not os.path.isfile(file):
        raise InputError("cannot read file: no such file", file=file)
    if os.stat(file).st_size > MAX_FILE_BYTES:
        raise InputError(f"file is larger than {MAX_FILE_BYTES} bytes, the limit for spreadsheets", file=file)


def _blocks(sheet: str, rows: list[list[Any]]) -> list[list[list[_Cell | None]]]:
    """The tables of a sheet: runs of rows that are not blank, cells located, empty cells None."""
    blocks: list[list[list[_Cell | None]]] = []
    current: list[list[_Cell | None]] = []
    for r, row in enumerate(rows, start=1):
        cells = [
            None if value is None or _cell_text(value) == "" else _Cell(sheet, r, c, value)
            for c, value in enumerate(row, start=1)
        ]
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            current.append(cells)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _is_parameter_header(block: list[list[_Cell | None]]) -> bool:
    first = block[0][0]
    return first is not None and first.text().lower() == "parameters"


# --------------------------------------------------------------- parameters
def _number(cell: _Cell | None, what: str, row_cell: _Cell) -> Fraction:
    if cell is None:
        raise InputError(f"{what} is missing", path=_right_of(row_cell))
    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
        return Fraction(_cell_text(cell.value))
    try:
        expr = parse_expression(cell.text(), ())
        value = expr.evaluate({})
    except ExpressionError as exc:
        raise InputError(f"{what} must be a number: {exc.message}", path=cell.where) from None
    return Fraction(value)


def _right_of(cell: _Cell) -> str:
    return f"sheet {cell.sheet!r}, row {cell.row}"


def _parameters(block: list[list[_Cell | None]], skip_header: bool) -> dict[str, dict[str, Any]]:
    """A parameter table: name, default, optional low and high, optional description, one row each."""
    out: dict[str, dict[str, Any]] = {}
    rows = block[1:] if skip_header else block
    for row in rows:
        cells = row + [None] * (5 - len(row))
        name_cell = cells[0]
        if name_cell is None:
            first = next(c for c in row if c is not None)
            raise InputError("a parameter row needs a name in its first column", path=first.where)
        name = name_cell.text()
        if name.lower() in ("name", "parameter"):  # an optional heading row
            continue
        if not name.isidentifier() or not name.isascii():
            raise InputError(
                f"parameter name {name!r} must be letters, digits and _ (not starting with a digit)",
                path=name_cell.where,
            )
        if name in out:
            raise InputError(f"parameter {name!r} is declared twice", path=name_cell.where)
        spec: dict[str, Any] = {"default": _exact(_number(cells[1], f"the default of {name}", name_cell))}
        low, high = cells[2], cells[3]
        if (low is None) != (high is None):
            raise InputError(f"give both ends of the range of {name} (low and high) or neither", path=name_cell.where)
        if low is not None:
            spec["range"] = [_exact(_number(low, f"low of {name}", name_cell)), _exact(_number(high, "", name_cell))]
        if cells[4] is not None:
            spec["description"] = cells[4].text()
        out[name] = spec
    return out


def _exact(value: Fraction) -> int | Fraction:
    return value.numerator if value.denominator == 1 else value


def _payoff_number(value: Fraction) -> int | str:
    """A constant payoff for the scenario file: an int, or its exact text (``"1/3"``, ``"0.1"``)."""
    return value.numerator if value.denominator == 1 else exact_text(value)


# ------------------------------------------------------------------ payoffs
@dataclass(frozen=True)
class _Table:
    """One payoff table: its corner cell, column names, row names and body cells (None where empty)."""

    corner: _Cell | None
    sheet: str
    columns: tuple[str, ...]
    rows: tuple[str, ...]
    body: tuple[tuple[_Cell | None, ...], ...]
    first: _Cell


def _names(cells: list[_Cell | None], what: str, anchor: _Cell) -> tuple[str, ...]:
    names: list[str] = []
    for k, cell in enumerate(cells):
        if cell is None:
            raise InputError(f"{what} {k + 1} has no name", path=f"sheet {anchor.sheet!r}, near {anchor.where}")
        name = cell.text()
        if name in names:
            raise InputError(f"{what} name {name!r} appears twice", path=cell.where)
        names.append(name)
    return tuple(names)


def _table(block: list[list[_Cell | None]], sheet: str) -> _Table:
    header = block[0]
    first = next(c for c in header if c is not None)
    if len(block) < 2 or len(header) < 2:
        raise InputError(
            "a payoff table needs a header row of column strategies and at least one row below it", path=first.where
        )
    columns = _names(header[1:], "column strategy", first)
    row_names = _names([row[0] if row else None for row in block[1:]], "row strategy", first)
    body = []
    for row in block[1:]:
        cells = row[1:]
        if len(cells) > len(columns):
            extra = next(c for c in cells[len(columns) :] if c is not None)
            raise InputError(
                f"this cell lies outside the table ({len(columns)} column strategies in the header)", path=extra.where
            )
        body.append(tuple(cells + [None] * (len(columns) - len(cells))))
    return _Table(header[0], sheet, columns, row_names, tuple(body), first)


def _split_pair(text: str) -> list[str]:
    """``a, b`` / ``a; b`` / ``(a, b)`` -> the two parts; commas inside parentheses (``max(a, b)``) do not split."""
    text = text.strip()
    if text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1]
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch in ",;" and depth == 0:
            parts.append(text[start:k])
            start = k + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _payoff(text: str, cell: _Cell, names: frozenset[str], owner: str) -> int | str:
    """One payoff as it goes into the scenario file, parsed (and so checked) here, where the cell is known."""
    if text.startswith("="):
        text = text[1:]
    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
        return _payoff_number(Fraction(_cell_text(cell.value)))
    try:
        expr = parse_expression(text, names)
    except ExpressionError as exc:
        raise InputError(f"payoff of {owner}: {exc.message}", path=cell.where) from None
    if expr.is_constant:
        return _payoff_number(Fraction(expr.evaluate({})))
    return text


def _missing(table: _Table, r: int, c: int) -> InputError:
    return InputError(
        f"no payoff for ({table.rows[r]}, {table.columns[c]})",
        path=_place(table.sheet, table.first.row + 1 + r, 2 + c),  # tables start in column A
    )


def _corner_players(table: _Table) -> tuple[str, str]:
    if table.corner is None:
        return "Row", "Column"
    parts = [p for p in _CORNER_SPLIT.split(table.corner.text()) if p]
    if len(parts) != 2:
        raise InputError(
            "the corner cell of a table of payoff pairs names the two players, e.g. 'Europe \\ Russia' "
            "(row player first)",
            path=table.corner.where,
        )
    return parts[0], parts[1]


def _grid(table: _Table, read: Callable[[_Cell], Any]) -> list[list[Any]]:
    """``read`` applied to every body cell of ``table``; an empty cell is an error at its place."""
    out = []
    for r, row in enumerate(table.body):
        out_row = []
        for c, cell in enumerate(row):
            if cell is None:
                raise _missing(table, r, c)
            out_row.append(read(cell))
        out.append(out_row)
    return out


def _pair_payoffs(table: _Table, names: frozenset[str]) -> tuple[tuple[str, str], list[list[tuple[Any, Any]]]]:
    players = _corner_players(table)

    def pair(cell: _Cell) -> tuple[Any, Any]:
        parts = _split_pair(cell.text()) if isinstance(cell.value, str) else [cell.text()]
        if len(parts) != 2 or not all(parts):
            raise InputError(
                f"expected two payoffs 'a, b' ({players[0]}, {players[1]}), found {cell.text()!r}", path=cell.where
            )
        return _payoff(parts[0], cell, names, players[0]), _payoff(parts[1], cell, names, players[1])

    return players, _grid(table, pair)


def _owner(table: _Table) -> str:
    return table.corner.text() if table.corner is not None else table.sheet


def _block_payoffs(tables: list[_Table], names: frozenset[str]) -> tuple[tuple[str, str], list[list[tuple[Any, Any]]]]:
    first, second = tables
    for what, a, b in (("column", first.columns, second.columns), ("row", first.rows, second.rows)):
        if a != b:
            raise InputError(
                f"the {what} strategies of {_owner(second)}'s table ({', '.join(b)}) differ from those of "
                f"{_owner(first)}'s table ({', '.join(a)}); the two tables must list the same strategies",
                path=second.first.where,
            )
    players = (_owner(first), _owner(second))
    if players[0] == players[1]:
        raise InputError(f"both payoff tables name the player {players[0]!r}", path=second.first.where)
    values = [
        _grid(table, lambda cell, owner=owner: _payoff(cell.text(), cell, names, owner))
        for table, owner in zip(tables, players)
    ]
    cells = [[(values[0][r][c], values[1][r][c]) for c in range(len(first.columns))] for r in range(len(first.rows))]
    return players, cells


# ------------------------------------------------------------------ the game
def spreadsheet_scenario(path: str | os.PathLike) -> dict[str, Any]:
    """The scenario-file data (``gametheory-scenario/1``) of the bimatrix game in the spreadsheet ``path``."""
    file = os.fspath(path)
    try:
        return _scenario_data(file)
    except InputError as exc:
        raise exc.located(file=file) from None


def _scenario_data(file: str) -> dict[str, Any]:
    parameters: dict[str, dict[str, Any]] = {}
    blocks: list[tuple[str, list[list[_Cell | None]]]] = []
    for sheet, rows in _read_sheets(file):
        for block in _blocks(sheet, rows):
            if _is_parameter_header(block):
                parameters.update(_parameters(block, skip_header=True))
            elif sheet.lower() == "parameters":
                parameters.update(_parameters(block, skip_header=False))
            else:
                blocks.append((sheet, block))
    if not blocks:
        raise InputError("no payoff table found (a header row of strategies, then one row per strategy)")
    names = frozenset(parameters)
    if any(_layer_heading(block) is not None for _, block in blocks):
        return _layered_data(file, blocks, names, parameters)
    tables = [_table(block, sheet) for sheet, block in blocks]
    if len(tables) == 1:
        players, cells = _pair_payoffs(tables[0], names)
    elif len(tables) == 2:
        players, cells = _block_payoffs(tables, names)
    else:
        raise InputError(
            f"found {len(tables)} payoff tables; a two-player game has one table of pairs 'a, b' or one table "
            "per player",
            path=tables[2].first.where,
        )
    table = tables[0]
    data = _head(file, [(players[0], table.rows), (players[1], table.columns)], parameters)
    data["matrix"] = [[list(pair) for pair in row] for row in cells]
    return data


def _head(file: str, players: list[tuple[str, tuple[str, ...]]], parameters: dict[str, Any]) -> dict[str, Any]:
    """The scenario data before its payoffs: format, title, players with their strategies, parameters."""
    data: dict[str, Any] = {
        "format": "gametheory-scenario/1",
        "title": os.path.splitext(os.path.basename(file))[0],
        "description": f"Converted by gametheory from the spreadsheet {os.path.basename(file)}.",
        "players": [{"name": name, "strategies": list(strategies)} for name, strategies in players],
    }
    if parameters:
        data["parameters"] = parameters
    return data


# ------------------------------------------------------------ N players
_HEADING_PART = re.compile(r"^\s*(?P<player>[^=:]+?)\s*[=:]\s*(?P<strategy>\S(?:.*\S)?)\s*$")


def _layer_heading(block: list[list[_Cell | None]]) -> tuple[_Cell, list[tuple[str, str]]] | None:
    """The heading row of a layer (``US = backstop, China = abstain``) and its (player, strategy)
    pairs, or None when the block does not start with one."""
    cells = [c for c in block[0] if c is not None]
    if len(cells) != 1 or len(block) < 3 or not isinstance(cells[0].value, str):
        return None
    parts = [_HEADING_PART.match(part) for part in _split_pair(cells[0].text())]
    if not parts or any(m is None for m in parts):
        return None
    return cells[0], [(m["player"], m["strategy"]) for m in parts if m is not None]


def _layers(blocks) -> list[tuple[_Cell, list[tuple[str, str]], _Table]]:
    """Every block as (heading cell, the others' strategies, its table); a block without a heading is an error."""
    out = []
    for sheet, block in blocks:
        heading = _layer_heading(block)
        if heading is None:
            first = next(c for c in block[0] if c is not None)
            raise InputError(
                "with three or more players every payoff table is headed by a row naming the other players' "
                "strategies, e.g. 'US = backstop'",
                path=first.where,
            )
        out.append((heading[0], heading[1], _table(block[1:], sheet)))
    return out


def _layered_data(file: str, blocks, names: frozenset[str], parameters: dict[str, Any]) -> dict[str, Any]:
    """The scenario data of a game of three or more players typed as layers (see the module docstring)."""
    layers = _layers(blocks)
    _, first_heading, first = layers[0]
    row_player, column_player = _corner_players(first)
    others = [player for player, _ in first_heading]
    strategies: dict[str, list[str]] = {player: [] for player in others}
    payoffs = []
    seen: dict[tuple[str, ...], _Cell] = {}
    players = [row_player, column_player, *others]
    if len(set(players)) != len(players):
        raise InputError(f"a player is named twice among {', '.join(players)}", path=layers[0][0].where)
    for cell, heading, table in layers:
        _check_layer(cell, heading, table, first, others, (row_player, column_player))
        key = tuple(strategy for _, strategy in heading)
        if key in seen:
            raise InputError(f"a second table for {cell.text()} (the first is at {seen[key].where})", path=cell.where)
        seen[key] = cell
        for player, strategy in heading:
            if strategy not in strategies[player]:
                strategies[player].append(strategy)
        payoffs += _layer_rows(table, key, players, names)
    missing = _missing_layers(strategies, others, seen)
    if missing:
        raise InputError(f"no payoff table for {missing} (one table per profile of the other players)")
    data = _head(
        file,
        [(row_player, first.rows), (column_player, first.columns)] + [(p, tuple(strategies[p])) for p in others],
        parameters,
    )
    data["payoffs"] = payoffs
    return data


def _check_layer(cell: _Cell, heading, table: _Table, first: _Table, others: list[str], corner) -> None:
    """A layer must name the same other players, in order, and list the same strategies as the first."""
    named = [player for player, _ in heading]
    if named != others:
        raise InputError(
            f"this heading names {', '.join(named)}; every heading names {', '.join(others)}, in that order",
            path=cell.where,
        )
    if table.corner is not None and _corner_players(table) != corner:
        raise InputError(f"the corner names other players than {corner[0]} \\ {corner[1]}", path=table.corner.where)
    for what, a, b in (("column", first.columns, table.columns), ("row", first.rows, table.rows)):
        if a != b:
            raise InputError(
                f"the {what} strategies of this table ({', '.join(b)}) differ from the first table's ({', '.join(a)})",
                path=table.first.where,
            )


def _layer_rows(table: _Table, others: tuple[str, ...], players: list[str], names: frozenset[str]) -> list[dict]:
    """The ``payoffs`` entries of one layer: a profile and one payoff per player for every cell."""

    def tuple_of(cell: _Cell) -> dict[str, Any]:
        parts = _split_pair(cell.text()) if isinstance(cell.value, str) else [cell.text()]
        if len(parts) != len(players) or not all(parts):
            raise InputError(
                f"expected {len(players)} payoffs ({', '.join(players)}), found {cell.text()!r}", path=cell.where
            )
        return {p: _payoff(part, cell, names, p) for p, part in zip(players, parts)}

    grid = _grid(table, tuple_of)
    return [
        {"profile": [row, column, *others], "payoffs": grid[r][c]}
        for r, row in enumerate(table.rows)
        for c, column in enumerate(table.columns)
    ]


def _missing_layers(strategies: dict[str, list[str]], others: list[str], seen) -> str | None:
    """The first profile of the other players that has no table, as text, or None."""
    for combo in itertools.product(*(strategies[p] for p in others)):
        if combo not in seen:
            return ", ".join(f"{p} = {s}" for p, s in zip(others, combo))
    return None


def load_spreadsheet(path: str | os.PathLike) -> Scenario:
    """The spreadsheet ``path`` as a validated :class:`~gametheory.scenario.Scenario`."""
    file = os.fspath(path)
    return parse_scenario(spreadsheet_scenario(file), file=file)


def write_spreadsheet_json(path: str | os.PathLike) -> str:
    """The scenario file (JSON text) of the spreadsheet ``path``, parameters and expressions kept.

    Checked by the scenario reader before it is written. A parameter value that
    is not a terminating decimal (1/3) has no exact JSON number; it is written
    with 17 significant digits.
    """
    file = os.fspath(path)
    data = spreadsheet_scenario(file)
    parse_scenario(data, file=file)
    marks: dict[str, str] = {}

    def number(value: Any) -> Any:
        if isinstance(value, Fraction):
            key = f"@@number{len(marks)}@@"
            decimal = parameter_text(value)
            marks[key] = decimal if "/" not in decimal else repr(float(value))
            return key
        if isinstance(value, dict):
            return {k: number(v) for k, v in value.items()}
        if isinstance(value, list):
            return [number(v) for v in value]
        return value

    text = json.dumps(number(data), indent=2, ensure_ascii=False) + "\n"
    for key, literal in marks.items():
        text = text.replace(f'"{key}"', literal)
    return text
