"""The resource policy (gametheory._limits): absurd numbers and deep trees get one located error, exit 2.

Each case is an input that once ended in a hang or an internal error
(ValueError, OverflowError, RecursionError); the expected answers are the
refusals the policy promises, or the ordinary result where the input is fine.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from click.testing import CliRunner

from gametheory._limits import MAX_DIGITS, MAX_TREE_DEPTH, exact_number
from gametheory.cli import app
from gametheory.errors import InputError
from gametheory.formats import read_nfg
from gametheory.formats.efg import read_efg
from tests.support import SMALL_SCENARIO


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def scenario_file(tmp_path, text: str, name: str = "s.json") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def base_text(**replace: str) -> str:
    text = json.dumps(SMALL_SCENARIO)
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


# ----------------------------------------------------------------- literals
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2", 2),
        ("-0.25", Fraction(-1, 4)),
        ("1e-3", Fraction(1, 1000)),
        ("3/4", Fraction(3, 4)),
        (".5", Fraction(1, 2)),
    ],
)
def test_exact_number_reads_ordinary_literals_exactly(text, value):
    assert exact_number(text) == value


@pytest.mark.parametrize(
    "text", ["1e999999999", "1e-1001", "9" * (MAX_DIGITS + 1), "1/" + "7" * MAX_DIGITS, "1e" + "9" * 50]
)
def test_exact_number_refuses_absurd_literals_before_converting(text):
    with pytest.raises(InputError, match=r"too large|digits"):
        exact_number(text)


@pytest.mark.parametrize(
    ("old", "new", "place"),
    [
        ('"default": 1', '"default": 1e999999999', "line 1, column"),
        ('"default": 1', '"default": ' + "9" * 5000, "too many digits (5000"),
        ('["x", 0]', '["1e308*10", 0]', "$.matrix[1][1][0]"),
        ('["x", 0]', '["2**1000*2**1000", 0]', "$.matrix[1][1][0]"),
        ('"default": 1', '"default": 1e400', "$.parameters.x.default"),
    ],
)
def test_scenario_with_an_absurd_number_is_refused_with_its_place(tmp_path, old, new, place):
    file = scenario_file(tmp_path, base_text(**{old: new}))
    for command in ("validate", "solve"):
        result = run(command, file)
        assert result.exit_code == 2, result.output
        assert "internal error" not in result.output
        assert file in result.output and place in result.output


@pytest.mark.parametrize(("value", "why"), [("1e999999999", "decimal exponent"), ("1e400", "float range")])
def test_set_value_of_absurd_size_is_refused(tmp_path, value, why):
    file = scenario_file(tmp_path, base_text())
    result = run("solve", file, "--set", f"x={value}")
    assert result.exit_code == 2 and why in result.output and "value of x" in result.output


def test_vary_range_beyond_the_float_range_is_refused(tmp_path):
    file = scenario_file(tmp_path, base_text())
    result = run("sweep", file, "--vary", "x=0:1e400:5", "--out", str(tmp_path / "o.csv"))
    assert result.exit_code == 2 and "float range" in result.output, result.output


NFG = 'NFG 1 R "t" { "A" "B" } { 1 1 }\n'


@pytest.mark.parametrize(
    ("payoff", "why"), [("1e400", "float range"), ("1e20000", "decimal exponent"), ("9" * 5000, "digits")]
)
def test_nfg_number_of_absurd_size_is_refused_with_file_and_place(payoff, why):
    with pytest.raises(InputError) as caught:
        read_nfg(NFG + f"{payoff} 0\n", file="big.nfg")
    message = str(caught.value)
    assert message.startswith("big.nfg: line 2") and why in message


def test_efg_integer_field_with_thousands_of_digits_is_refused_located():
    text = 'EFG 2 R "t" { "A" }\n""\n\nt "" ' + "1" * 5000 + ' "o" { 1 }\n'
    with pytest.raises(InputError) as caught:
        read_efg(text, file="big.efg")
    assert str(caught.value).startswith("big.efg: line 4")


def test_nfg_payoff_file_solves_when_numbers_are_large_but_in_range(tmp_path):
    path = tmp_path / "ok.nfg"
    path.write_text('NFG 1 R "t" { "A" "B" } { 2 1 }\n1e300 0 -1e300 0\n')
    result = run("solve", str(path))
    assert result.exit_code == 0, result.output


# ----------------------------------------------------------------- tree depth
def chain(depth: int) -> dict:
    """A tree ``depth`` levels deep: B stops or lets A choose, level after level, to stop or go on."""

    def node(k: int) -> dict:
        if k == 0:
            return {"payoffs": {"A": 0, "B": 0}}
        return {"player": "A", "moves": {"l": node(k - 1), "r": {"payoffs": {"A": k % 7, "B": -k}}}}

    return {
        "format": "gametheory-scenario/1",
        "form": "tree",
        "title": "chain",
        "players": [{"name": "B"}, {"name": "A"}],
        "tree": {"player": "B", "moves": {"go": node(depth - 1), "stop": {"payoffs": {"A": 0, "B": 1}}}},
    }


def test_tree_hundreds_of_levels_deep_is_read_and_reduced(tmp_path):
    """260 levels (the default recursion limit gave out near 200; the reduced form of a
    400-level chain takes seconds to build, too long for the suite)."""
    file = scenario_file(tmp_path, json.dumps(chain(260)))
    result = run("validate", file)
    assert result.exit_code == 0, result.output
    assert "(2 players, 2x260" in result.output  # B: go or stop; A: stop at one of 259 levels or never


def test_tree_deeper_than_the_limit_is_refused_located(tmp_path):
    file = scenario_file(tmp_path, json.dumps(chain(MAX_TREE_DEPTH + 2)))
    result = run("validate", file)
    assert result.exit_code == 2 and f"more than {MAX_TREE_DEPTH} levels deep" in result.output


# ----------------------------------------------------------------- timeouts
@pytest.mark.parametrize("value", ["-1", "nan", "inf", "0"])
def test_timeout_that_is_not_a_positive_finite_number_is_refused(tmp_path, value):
    file = scenario_file(tmp_path, base_text())
    result = run("solve", file, f"--timeout={value}")
    assert result.exit_code == 2
    assert "--timeout must be a positive, finite number of seconds" in result.output


def test_library_solve_refuses_a_nan_timeout():
    from gametheory.solvers import solve
    from tests.support import prisoners_dilemma

    with pytest.raises(InputError, match="timeout must be a positive"):
        solve(prisoners_dilemma(), timeout=float("nan"))


# ----------------------------------------------------------------- symbolic powers
@pytest.mark.parametrize("text", ["2**(a - a + 10**12)", "(10**300)**(a - a + 1000)"])
def test_power_that_grows_only_after_simplification_is_refused(text):
    """sympy folds ``a - a`` to 0 and then computes the integer power: once a
    10**12-bit number (memory until killed); now a located ExpressionError."""
    from gametheory.errors import ExpressionError
    from gametheory.expressions import parse_expression

    with pytest.raises(ExpressionError, match="power too large after simplification"):
        parse_expression(text, ["a"]).to_sympy()


def test_moderate_symbolic_powers_still_convert():
    from gametheory.expressions import parse_expression

    assert str(parse_expression("a**(b - b + 3) + 2**(b - b + 10)", ["a", "b"]).to_sympy()) == "a**3 + 1024"


# ----------------------------------------------------------------- deadlines
def test_run_within_stops_a_phase_that_never_ends(monkeypatch):
    from gametheory import _limits
    from gametheory._limits import run_within

    monkeypatch.setattr(_limits, "ALARM_GRACE", 0.05)

    def forever() -> None:
        while True:
            pass

    assert run_within(0.05, forever) is None  # no checks of its own: the alarm, past the deadline
    assert run_within(5.0, lambda: 42) == 42


def test_run_within_takes_the_alarm_inside_a_c_function_for_the_stop_it_is():
    """The alarm's exception raised while C code runs surfaces as a SystemError whose cause it is
    (Gambit's my_2-8.efg: "Fraction.numerator returned a result with an exception set")."""
    from gametheory._limits import PhaseTimeout, run_within

    def interrupted_in_c() -> None:
        raise SystemError("returned a result with an exception set") from PhaseTimeout()

    def other_bug() -> None:
        raise SystemError("something else")

    assert run_within(5.0, interrupted_in_c) is None
    with pytest.raises(SystemError):
        run_within(5.0, other_bug)


def test_analyse_says_which_phase_the_timeout_stopped(monkeypatch):
    """A tree analysis that would never end (condjury.efg once ran past 200 s with --timeout 10)
    is stopped at the deadline; the certified equilibria stay, and a note names what is missing."""
    from gametheory import _limits, analysis
    from gametheory.formats import load
    from tests.support import GAMES

    monkeypatch.setattr(_limits, "ALARM_GRACE", 0.05)

    def endless(scenario, solution):
        while True:
            pass

    monkeypatch.setattr(analysis, "analyse_structure", endless)
    scenario = load(GAMES / "classics" / "entry_deterrence.json")
    solution = analysis.analyse(scenario.bind(), timeout=0.2, scenario=scenario)
    assert len(solution.equilibria) >= 2  # (enter, accommodate) and (stay_out, fight) at least
    assert solution.extensive is None
    assert any("not computed: the analysis of the tree" in note for note in solution.notes)


def test_lemke_howson_receives_the_timeout(monkeypatch):
    """--method lh on a 200x200 game once ran past 120 s with --timeout: solve() did not pass it on."""
    from gametheory.solvers import bimatrix, solve
    from tests.support import prisoners_dilemma

    seen = {}
    original = bimatrix.lemke_howson_all

    def spy(game, **kwargs):
        seen.update(kwargs)
        return original(game, **kwargs)

    monkeypatch.setattr(bimatrix, "lemke_howson_all", spy)
    solution = solve(prisoners_dilemma(), "lh", timeout=5.0)
    assert seen.get("timeout") == 5.0
    assert [eq.pure for eq in solution.equilibria] == [True]  # (D, D), the one equilibrium


def _in_a_thread(phase):
    """``phase()`` run outside the main thread, where no alarm can stop it: only its own checks can."""
    import threading

    out: dict = {}
    worker = threading.Thread(target=lambda: out.setdefault("result", phase()), daemon=True)
    worker.start()
    worker.join(120)
    assert not worker.is_alive(), "the phase did not stop at its deadline"
    return out["result"]


@pytest.fixture(scope="module")
def game_20x20():
    import numpy as np

    from gametheory.game import NormalFormGame

    rng = np.random.default_rng(1)
    return NormalFormGame.from_arrays(rng.integers(0, 100, (20, 20)), rng.integers(0, 100, (20, 20)))


def test_correlated_lp_stops_at_its_deadline_in_any_thread(game_20x20):
    """The exact correlated-equilibrium LPs of a 20x20 game take seconds (minutes once, with vertices):
    with a deadline of 0.2 s they stop by their own checks, in a thread where no alarm reaches them."""
    from gametheory._limits import run_within
    from gametheory.solvers.correlated import correlated_equilibria

    assert _in_a_thread(lambda: run_within(0.2, lambda: correlated_equilibria(game_20x20))) is None


def test_library_analyse_in_a_thread_names_the_phases_it_stopped(game_20x20):
    from gametheory.analysis import analyse

    solution = _in_a_thread(lambda: analyse(game_20x20, "lh", timeout=0.3, correlated=True))
    assert solution.correlated is None
    assert any("not computed: correlated equilibria" in note for note in solution.notes)
    assert solution.equilibria  # Lemke-Howson's equilibria, certified, are kept


def test_subgame_perfection_checks_its_own_deadline():
    """The tree phase (subgame by subgame, then every equilibrium's credibility) stops by its own
    checks once the deadline has passed (condjury.efg once ran past 200 s with --timeout 10)."""
    from gametheory._limits import run_within
    from gametheory.formats import load
    from gametheory.scenario import scenario_values
    from gametheory.solvers.trees import analyse_tree
    from tests.support import GAMES

    scenario = load(GAMES / "sequencing.json")
    game = scenario.bind()
    values = scenario_values(scenario, game.parameters)

    def phase():
        return analyse_tree(scenario.extensive, values, game)

    assert _in_a_thread(lambda: run_within(1e-9, phase)) is None
    assert _in_a_thread(lambda: run_within(60.0, phase)).spe  # with time enough it finishes


# ----------------------------------------------------------------- memory
def test_an_eight_player_game_is_refused_before_its_payoffs_are_held():
    """8 players of 6 strategies: 13,436,928 payoff cells, about 12.5 GB as a scenario (it once filled
    2 GB and ended in an internal error); the header alone is enough to refuse it, saying what to do."""
    from gametheory.errors import GameTooLargeError

    header = 'NFG 1 R "eight" { "1" "2" "3" "4" "5" "6" "7" "8" } { 6 6 6 6 6 6 6 6 }\n'
    with pytest.raises(GameTooLargeError, match=r"13,436,928 payoff cells: about 12\.5 GB.*remove strategies"):
        read_nfg(header, file="eight.nfg")
    # a game of a size people solve is untouched by the estimate
    assert read_nfg('NFG 1 R "pd" { "R" "C" } { 2 2 } 3 3 5 0 0 5 1 1').shape == (2, 2)


def test_vertex_search_stops_before_it_outgrows_its_memory(monkeypatch):
    """A 200x200 game's vertex search once held 2 GB within 30 s: past its memory budget it stops,
    says why and what to use instead (here with a budget small enough for a 6x6 game)."""
    import numpy as np

    from gametheory.game import NormalFormGame
    from gametheory.solvers import _vertices, bimatrix

    rng = np.random.default_rng(4)
    game = NormalFormGame.from_arrays(rng.integers(0, 9, (6, 6)), rng.integers(0, 9, (6, 6)))
    assert bimatrix.enumerate_bimatrix(game).complete  # with room enough it finishes
    monkeypatch.setattr(_vertices, "MAX_SEARCH_BYTES", 1000)
    stopped = bimatrix.enumerate_bimatrix(game)
    assert not stopped.complete and not stopped.profiles
    assert "outgrew" in stopped.notes[0] and "--method lh" in stopped.notes[0]
    # the float search of larger polytopes (tests/solvers/test_vertices.py) keeps the same budget
    big = NormalFormGame.from_arrays(rng.integers(0, 99, (9, 9)), rng.integers(0, 99, (9, 9)))
    assert _vertices.FLOAT_FROM <= 18
    stopped = bimatrix.enumerate_bimatrix(big)
    assert not stopped.complete and "outgrew" in stopped.notes[0]


def test_a_grid_too_large_for_memory_is_refused_with_its_estimate_and_the_streamed_way():
    from gametheory.formats import load
    from gametheory.sensitivity.sweep import DEFAULT_MAX_POINTS, check_grid
    from tests.support import GAMES

    scenario = load(GAMES / "classics" / "prisoners_dilemma.json")
    with pytest.raises(InputError, match=r"100,000,000 points \(about 3\.0 GB.*\.parquet or \.csv"):
        check_grid(scenario, {"t": (4, 8, 10_000), "r": (2, 4, 10_000)}, DEFAULT_MAX_POINTS)
