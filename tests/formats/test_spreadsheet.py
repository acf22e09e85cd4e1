"""Tests of the spreadsheet reader (gametheory.formats.spreadsheet) and ``gametheory convert`` on spreadsheets.

The spreadsheets are written here, in both layouts (a table of pairs, one
table per player) and both file types (CSV, XLSX through openpyxl). The game
is the battle of the sexes with payoffs ``high`` and ``low``: its equilibria
are known by hand (Osborne 2004, section 4.1): (bach, bach), (stravinsky,
stravinsky), and the mixed one where player 1 plays bach with probability
high/(high + low) and player 2 with probability low/(high + low).
"""

from __future__ import annotations

import csv
import json
import re
from fractions import Fraction

import openpyxl
import pytest
from click.testing import CliRunner

from gametheory.cli import app
from gametheory.errors import InputError
from gametheory.formats import load
from gametheory.formats.spreadsheet import spreadsheet_scenario
from gametheory.scenario import load_scenario
from gametheory.solvers import solve

PAIRS = [
    ["Anna \\ Bob", "bach", "stravinsky"],
    ["bach", "high, low", "0, 0"],
    ["stravinsky", "(0; 0)", "low, high"],
    [],
    ["parameters", "default", "low", "high", "description"],
    ["high", "2", "1", "5", "favourite concert together"],
    ["low", "1", "0.5", "2"],
]


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return str(path)


def write_xlsx(path, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return str(path)


def bos_blocks_xlsx(path, bob_cell="low"):
    return write_xlsx(
        path,
        {
            "Anna": [[None, "bach", "stravinsky"], ["bach", "high", 0], ["stravinsky", 0, "low"]],
            "Bob": [[None, "bach", "stravinsky"], ["bach", bob_cell, 0], ["stravinsky", 0.0, "high"]],
            "Parameters": [["high", 2, 1, 5], ["low", 1.5, 0.5, 2]],
        },
    )


def mixed_bach_probabilities(scenario, **values):
    """(P(Anna plays bach), P(Bob plays bach)) in the one fully mixed equilibrium."""
    solution = solve(scenario.bind({k: str(v) for k, v in values.items()}))
    mixed = [eq for eq in solution.equilibria if all(len(s) == 2 for s in eq.support)]
    assert len(solution.equilibria) == 3 and len(mixed) == 1
    return mixed[0].profile[0][0], mixed[0].profile[1][0]


def test_pairs_csv_names_expressions_and_exact_equilibria(tmp_path):
    scenario = load(write_csv(tmp_path / "bos.csv", PAIRS))
    assert scenario.player_names == ("Anna", "Bob")
    assert scenario.strategies == (("bach", "stravinsky"), ("bach", "stravinsky"))
    assert scenario.parameters["low"].low == Fraction(1, 2)
    assert mixed_bach_probabilities(scenario) == (Fraction(2, 3), Fraction(1, 3))
    # the expressions stay expressions: other values, other equilibrium
    assert mixed_bach_probabilities(scenario, high=3, low=Fraction(1, 2)) == (Fraction(6, 7), Fraction(1, 7))


def test_blocks_xlsx_one_sheet_per_player_keeps_decimals_exact(tmp_path):
    scenario = load(bos_blocks_xlsx(tmp_path / "bos.xlsx"))
    assert scenario.player_names == ("Anna", "Bob")
    assert scenario.parameters["low"].default == Fraction(3, 2)
    # high = 2, low = 3/2: Anna plays bach with probability 2/(2 + 3/2) = 4/7
    assert mixed_bach_probabilities(scenario) == (Fraction(4, 7), Fraction(3, 7))


def test_decimal_cells_are_exact(tmp_path):
    rows = [["R \\ C", "l", "r"], ["t", "0.1, 0.2", "0, 0"], ["b", "0, 0", "0.3, 0.1"]]
    game = load(write_csv(tmp_path / "d.csv", rows)).bind({})
    assert game.payoffs[0][0, 0] == Fraction(1, 10) and game.payoffs[1][1, 1] == Fraction(1, 10)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("high, low, 3", "sheet 'bos', cell B2 (row 2, column 2): expected two payoffs"),
        ("hihg, low", "sheet 'bos', cell B2 (row 2, column 2): payoff of Anna: unknown name 'hihg'"),
        ("high, __import__('os')", "cell B2 (row 2, column 2): payoff of Bob"),
    ],
)
def test_malformed_csv_cell_is_located(tmp_path, cell, message):
    rows = [list(r) for r in PAIRS]
    rows[1][1] = cell
    path = write_csv(tmp_path / "bos.csv", rows)
    with pytest.raises(InputError) as info:
        load(path)
    assert str(info.value).startswith(path) and message in str(info.value)


def test_malformed_xlsx_cell_is_located(tmp_path):
    path = bos_blocks_xlsx(tmp_path / "bos.xlsx", bob_cell="low +* 2")
    with pytest.raises(InputError, match=r"sheet 'Bob', cell B2 \(row 2, column 2\): payoff of Bob"):
        load(path)


def test_tables_that_do_not_fit(tmp_path):
    missing = [["A \\ B", "x", "y"], ["u", "1, 1", "0, 0"], ["v", "0, 0"]]
    with pytest.raises(InputError, match=r"cell C3 .*no payoff for \(v, y\)"):
        load(write_csv(tmp_path / "m.csv", missing))
    mismatch = tmp_path / "mm.xlsx"
    write_xlsx(mismatch, {"A": [[None, "x", "y"], ["u", 1, 0]], "B": [[None, "x", "z"], ["u", 1, 0]]})
    with pytest.raises(InputError, match=r"sheet 'B', cell B1.*column strategies of B's table"):
        load(str(mismatch))


def test_convert_writes_a_scenario_that_solves_the_same(tmp_path, monkeypatch):
    source = write_csv(tmp_path / "bos.csv", PAIRS)
    out = tmp_path / "bos.json"
    result = CliRunner().invoke(app, ["convert", source, "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["matrix"][0][0] == ["high", "low"] and data["parameters"]["low"]["range"] == [0.5, 2]
    assert mixed_bach_probabilities(load_scenario(out)) == (Fraction(2, 3), Fraction(1, 3))
    assert spreadsheet_scenario(source)["players"][0]["name"] == "Anna"


def test_convert_bad_cell_exit_2_one_line(tmp_path):
    rows = [list(r) for r in PAIRS]
    rows[2][2] = "low, "
    source = write_csv(tmp_path / "bad.csv", rows)
    result = CliRunner().invoke(app, ["convert", source, "--out", str(tmp_path / "x.json")])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "cell C3 (row 3, column 3)" in lines[0] and "expected two payoffs" in lines[0]
    assert not (tmp_path / "x.json").exists()


# ------------------------------------------------------------------ three players
def g1_layers(europe_deploy_accept_backstop="v_e - c_e*(1 - s_us)"):
    """G1 (games/deterrence.json) at its defaults typed as two layers, one per US strategy, with one
    cell kept as an expression of parameters declared below."""
    g1 = load_scenario("games/deterrence.json")
    game = g1.game_at(g1.with_derived(g1.parameter_values({})))
    europe, russia, us = game.strategies
    rows = []
    for k, u in enumerate(us):
        rows += [[f"US = {u}"], ["Europe \\ Russia", *russia]]
        for i, e in enumerate(europe):
            cells = [", ".join(str(game.payoffs[p][i, j, k]) for p in range(3)) for j in range(len(russia))]
            rows.append([e, *cells])
        rows.append([])
    first = game.payoffs[1][0, 0, 0], game.payoffs[2][0, 0, 0]
    rows[2][1] = f"{europe_deploy_accept_backstop}, {first[0]}, {first[1]}"
    rows += [["parameters"], ["v_e", "10"], ["c_e", "6"], ["s_us", "0.5"]]
    return g1, rows


def test_three_player_layers_convert_and_solve_like_the_original(tmp_path):
    g1, rows = g1_layers()
    converted = load(write_csv(tmp_path / "triad.csv", rows))
    assert converted.player_names == ("Europe", "Russia", "US")
    assert converted.strategies == g1.strategies
    original = solve(g1.bind({}))
    again = solve(converted.bind({}))
    assert {eq.profile for eq in again.equilibria} == {eq.profile for eq in original.equilibria}
    # the expression cell follows its parameter: Europe's payoff at (deploy, accept, backstop)
    assert converted.bind({"s_us": "1"}).payoffs[0][0, 0, 0] == 10


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda rows: rows[2].__setitem__(1, "1, 2"),
            "cell B3 (row 3, column 2): expected 3 payoffs (Europe, Russia, US)",
        ),
        (lambda rows: rows[5].__setitem__(0, "China = abstain"), "every heading names US"),
        (lambda rows: rows[5].__setitem__(0, "US = backstop"), "a second table for US = backstop"),
        (lambda rows: rows.__setitem__(0, ["Europe \\ Russia"]), "headed by a row naming the other players"),
    ],
)
def test_three_player_layers_that_do_not_fit(tmp_path, change, message):
    _, rows = g1_layers()
    change(rows)
    with pytest.raises(InputError, match=re.escape(message)):
        spreadsheet_scenario(write_csv(tmp_path / "bad.csv", rows))
