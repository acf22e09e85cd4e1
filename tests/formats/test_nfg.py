"""Tests of the Gambit .nfg reader and writer (gametheory.formats.nfg).

Expected payoff arrays are worked out by hand from the ordering rule of the
format (the first player's strategy varies fastest); the pygambit tests check
the same files and our output against Gambit's own parser and writer.
"""

from __future__ import annotations

import io
import time
from fractions import Fraction
from math import prod
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gametheory.errors import GameTooLargeError, InputError
from gametheory.formats import DEFAULT_MAX_PROFILES, gambit_label_issues, load_nfg, read_nfg, write_nfg
from gametheory.game import NormalFormGame
from tests.support import ROOT

DATA = ROOT / "tests" / "data"


def fr(rows):
    """Nested lists of numbers as nested lists of Fractions."""
    return [fr(r) if isinstance(r, list) else Fraction(r) for r in rows]


def assert_same_game(got: NormalFormGame, want: NormalFormGame) -> None:
    assert got.title == want.title
    assert got.players == want.players
    assert got.strategies == want.strategies
    assert got.payoffs.shape == want.payoffs.shape
    assert got.payoffs.tolist() == want.payoffs.tolist()


# --------------------------------------------------------------------------- known files
# The example of Gambit's manual ("The strategic game (.nfg) file format"): profiles in
# the order (1,1) (2,1) (3,1) (1,2) (2,2) (3,2) pay (1,1) (0,2) (0,2) (1,1) (0,3) (2,0).
E02_PLAYER1 = [[1, 1], [0, 0], [0, 2]]
E02_PLAYER2 = [[1, 1], [2, 3], [2, 0]]


@pytest.mark.parametrize("name", ["e02.nfg", "e02_outcome.nfg"])
def test_gambit_manual_example_both_versions(name):
    g = load_nfg(DATA / name)
    assert g.title == "Selten (IJGT, 75), Figure 2, normal form"
    assert g.players == ("Player 1", "Player 2")
    assert g.strategies == (("1", "2", "3"), ("1", "2"))
    assert g.exact
    assert g.payoffs[0].tolist() == fr(E02_PLAYER1)
    assert g.payoffs[1].tolist() == fr(E02_PLAYER2)


def test_outcome_version_with_named_outcomes_and_optional_commas():
    g = load_nfg(DATA / "prisoners_dilemma.nfg")
    assert g.title == 'The "Prisoner\'s Dilemma"'
    assert g.players == ("Row", "Column")
    assert g.strategies == (("Cooperate", "Defect"), ("Cooperate", "Defect"))
    # Indices 1 3 2 4 for (C,C) (D,C) (C,D) (D,D): Reward, Temptation, Sucker, Punishment.
    assert g.payoffs[0].tolist() == fr([[3, 0], [5, 1]])
    assert g.payoffs[1].tolist() == fr([[3, 5], [0, 1]])


def test_three_players_ordering_and_number_syntax():
    g = load_nfg(DATA / "three_player.nfg")
    assert g.players == ("Athos", "Porthos", "Aramis")
    assert g.shape == (2, 2, 3)
    # The file's comment states the rule: profile k = a0 + 2 a1 + 4 a2 pays k, k/2, k + 1/4.
    for a0, a1, a2 in np.ndindex(2, 2, 3):
        k = a0 + 2 * a1 + 4 * a2
        assert g.payoffs[0][a0, a1, a2] == k
        assert g.payoffs[1][a0, a1, a2] == Fraction(k, 2)
        assert g.payoffs[2][a0, a1, a2] == k + Fraction(1, 4)
    assert all(type(x) is Fraction for x in g.payoffs.ravel())


def test_strategy_counts_with_outcome_body_and_null_outcome():
    # Counts instead of names, then an outcome body: Gambit accepts any combination.
    # Outcome 0 is the null outcome (all payoffs zero).
    text = 'NFG 1 R "" { "A" "B" } { 2 2 } { { "x" 7, -7 } } 1 0 0 1'
    g = read_nfg(text)
    assert g.strategies == (("1", "2"), ("1", "2"))
    assert g.payoffs[0].tolist() == fr([[7, 0], [0, 7]])
    assert g.payoffs[1].tolist() == fr([[-7, 0], [0, -7]])


def test_names_with_escaped_quotes_and_whitespace_layout():
    text = 'NFG\t1  R\n"say \\"no\\""\n{"P \\"1\\""   "B\\x"}\n{{"a b" "c,d"}{"{e}"}}1 2 3 4'
    g = read_nfg(text)
    assert g.title == 'say "no"'
    assert g.players == ('P "1"', "B\\x")  # a backslash before anything but a quote is kept
    assert g.strategies == (("a b", "c,d"), ("{e}",))
    assert g.payoffs[:, 1, 0].tolist() == fr([3, 4])


def test_decimal_payoffs_are_exact_and_d_files_too():
    g = read_nfg('NFG 1 D "" { "A" } { 4 } 0.1 -.5 3/4 2e-3')
    assert g.payoffs[0].tolist() == [Fraction(1, 10), Fraction(-1, 2), Fraction(3, 4), Fraction(1, 500)]


def test_one_player_game():
    g = read_nfg('NFG 1 R "solo" { "Only" } { 3 } 5 -1 2')
    assert g.payoffs.shape == (1, 3)
    assert g.payoffs[0].tolist() == fr([5, -1, 2])


def test_empty_and_repeated_names_are_made_unique_like_gambit():
    g = read_nfg('NFG 1 R "" { "" "" } { { "x" "x" "x_1" } { "" } } 1 2 3 4 5 6')
    assert g.players == ("_1", "_2")
    assert g.strategies == (("x_2", "x_3", "x_1"), ("_1",))


def test_byte_order_mark_and_bytes_input():
    g = read_nfg('\ufeffNFG 1 R "t" { "A" } { 1 } 4')
    assert g.payoffs.tolist() == [[4]]
    assert read_nfg(b'NFG 1 R "caf\xc3\xa9" { "A" } { 1 } 4').title == "café"


# --------------------------------------------------------------------------- writing
def test_write_payoff_form_lists_profiles_in_gambit_order():
    g = load_nfg(DATA / "e02.nfg")
    text = write_nfg(g)
    lines = text.splitlines()
    assert lines[0] == 'NFG 1 R "Selten (IJGT, 75), Figure 2, normal form" { "Player 1" "Player 2" }'
    assert lines[-6:] == ["1 1", "0 2", "0 2", "1 1", "0 3", "2 0"]


def test_write_outcome_form_shares_repeated_payoff_vectors():
    g = load_nfg(DATA / "e02.nfg")
    text = write_nfg(g, form="outcome")
    assert '{ "Outcome 1" 1, 1 }' in text
    assert "Outcome 5" not in text  # (1,1) and (0,2) each appear twice: 4 distinct outcomes
    assert text.rstrip().splitlines()[-2:] == ["1 2 2", "1 3 4"]


def test_write_fractions_and_floats():
    exact = NormalFormGame.from_arrays([Fraction(-3, 4), 2])
    assert write_nfg(exact).splitlines()[-2:] == ["-3/4", "2"]
    floats = NormalFormGame.from_arrays([0.1, 1e-7, -2.5, 1e20])
    assert write_nfg(floats).splitlines()[-4:] == ["0.1", "1e-07", "-2.5", "1e20"]


def test_write_rejects_unknown_form_and_unwritable_backslashes():
    g = NormalFormGame.from_arrays([1], players=["ok\\x"], strategies=[["s"]])
    assert '"ok\\x"' in write_nfg(g)  # a lone backslash before a letter is fine
    with pytest.raises(InputError, match="form 'table'"):
        write_nfg(g, form="table")
    for bad in ["ends\\", "two\\\\slashes", 'slash\\"quote']:
        game = NormalFormGame.from_arrays([1], players=[bad], strategies=[["s"]])
        with pytest.raises(InputError, match="backslash"):
            write_nfg(game)


def test_comment_is_written_and_skipped_on_reading():
    g = load_nfg(DATA / "e02.nfg")
    text = write_nfg(g, comment='from "the manual"')
    assert '"from \\"the manual\\""' in text
    assert_same_game(read_nfg(text), g)


def test_gambit_label_issues():
    good = load_nfg(DATA / "prisoners_dilemma.nfg")
    assert gambit_label_issues(good) == []
    bad = NormalFormGame.from_arrays([1, 2], players=["Türkiye"], strategies=[["two  spaces", " lead"]], title="ok")
    issues = gambit_label_issues(bad)
    assert len(issues) == 3 and "Türkiye" in issues[0]
    # Gambit 16.7 renames the default strategies "1", "2", "3" in file order, so a
    # first strategy called "3" collides with the still-default third one.
    numbered = NormalFormGame.from_arrays([1, 2, 3], strategies=[["3", "x", "y"]])
    assert len(gambit_label_issues(numbered)) == 1
    swapped = NormalFormGame.from_arrays([[1]], [[2]], players=["2", "1"])
    assert len(gambit_label_issues(swapped)) == 1
    fine = NormalFormGame.from_arrays([1, 2, 3], strategies=[["x", "1", "03"]])
    assert gambit_label_issues(fine) == []


# --------------------------------------------------------------------------- round trips
NAME_CHARS = list("abcXYZ019 _-\"'{},.()#é\n\t")
names = st.text(alphabet=st.sampled_from(NAME_CHARS), min_size=1, max_size=8)
fractions = st.one_of(
    st.integers(-2, 2).map(Fraction),  # repeats, so outcome sharing is exercised
    st.builds(Fraction, st.integers(-(10**9), 10**9), st.integers(1, 10**6)),
)


@st.composite
def exact_games(draw, labels=names, values=fractions):
    n = draw(st.integers(1, 3))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    players = draw(st.lists(labels, min_size=n, max_size=n, unique=True))
    strategies = tuple(tuple(draw(st.lists(labels, min_size=m, max_size=m, unique=True))) for m in shape)
    flat = np.empty(n * prod(shape), dtype=object)
    flat[:] = draw(st.lists(values, min_size=flat.size, max_size=flat.size))
    title = draw(st.one_of(st.just(""), labels))
    return NormalFormGame(flat.reshape((n,) + shape), tuple(players), strategies, title)


@settings(max_examples=150, deadline=None)
@given(game=exact_games(), form=st.sampled_from(["payoff", "outcome"]))
def test_round_trip_exact(game, form):
    assert_same_game(read_nfg(write_nfg(game, form=form)), game)


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=6, max_size=6),
    form=st.sampled_from(["payoff", "outcome"]),
)
def test_round_trip_floats_exactly_up_to_to_float(values, form):
    game = NormalFormGame.from_arrays(np.reshape(values[:6], (2, 3)), np.reshape(values[::-1], (2, 3)))
    back = read_nfg(write_nfg(game, form=form))
    assert back.exact
    assert np.array_equal(back.to_float().payoffs, game.payoffs)


# --------------------------------------------------------------------------- bad input
FILE = "games/x.nfg"
GOOD = 'NFG 1 R "t" { "A" "B" } { 2 2 }\n1 2\n3 4\n5 6\n7 8\n'


def read_error(text: str, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        read_nfg(text, file=FILE, **kwargs)
    message = str(info.value)
    assert message.startswith(f"{FILE}: line "), message
    assert "\n" not in message
    return info.value


@pytest.mark.parametrize(
    "text, where, fragment",
    [
        ("", "line 1", "not a Gambit .nfg file"),
        ('EFG 2 R "tree" { "A" }', "line 1, column 1", "extensive-form"),
        ('nfg 1 R "t" { "A" } { 1 } 1', "line 1, column 1", "must begin with 'NFG 1 R'"),
        ('NFG 2 R "t" { "A" } { 1 } 1', "line 1, column 5", "unsupported .nfg version"),
        ('NFG 1 X "t" { "A" } { 1 } 1', "line 1, column 7", "data type R or D"),
        ("NFG 1 R { }", "line 1, column 9", "the game title"),
        ('NFG 1 R "t" { } { }', "line 1, column 13", "no players"),
        ('NFG 1 R "t" { "A" "B" } { 2 }', "line 1, column 29", "number of strategies of player 'B'"),
        ('NFG 1 R "t" { "A" } { 2.5 } 1 2', "line 1, column 23", "positive integer"),
        ('NFG 1 R "t" { "A" } { 0 }', "line 1, column 23", "no strategies"),
        ('NFG 1 R "t" { "A" "B" } { { "x" } }', "line 1, column 35", "strategy names of player 'B'"),
        ('NFG 1 R "t" { "A" } { { "x" } } "comment"', "line 1", "the file ends too early"),
        ('NFG 1 R "t" { "A" } { { "x } } 1', "line 1, column 25", "unterminated string"),
        ('NFG 1 R "t\n', "line 1, column 9", "unterminated string"),
        ('NFG 1 R "t" { "A" "B"', "line 1", "the file ends too early"),
        ('NFG 1 R "t" { "A" } { 1 } } 1', "line 1, column 27", "payoffs"),
    ],
)
def test_malformed_prologue(text, where, fragment):
    error = read_error(text)
    assert str(error).startswith(f"{FILE}: {where}")
    assert fragment in str(error)


def test_wrong_number_of_payoffs():
    too_few = GOOD.rstrip()[:-2]  # drop the last payoff; it ends on line 5
    assert str(read_error(too_few)) == f"{FILE}: line 5: expected 8 payoffs for 4 profiles x 2 players, found 7"
    too_many = GOOD + "9\n"
    assert str(read_error(too_many)) == f"{FILE}: line 6: expected 8 payoffs for 4 profiles x 2 players, found 9"


@pytest.mark.parametrize(
    "payoff, reason",
    [
        ("abc", "'abc' is not a number"),
        ("1/0", "division by zero"),
        ("1e99999", "exponent"),
        ("+3", "'+' sign"),  # Gambit refuses plus signs
        ("1e+3", "'+' sign"),
        ("3/4/5", "not a number"),
        ("1.5.2", "not a number"),
        ("1,", "not a number"),
        ("9" * 5000, "too many digits"),
    ],
)
def test_non_number_payoff_names_its_place(payoff, reason):
    text = GOOD.replace("\n5 6", f"\n5 {payoff}")
    error = read_error(text)
    assert str(error).startswith(f"{FILE}: line 4, column 3: payoff 6 of 8 (player 'B' at profile ('1', '2')): ")
    assert reason in str(error)


def test_outcome_index_out_of_range_and_not_a_number():
    text = 'NFG 1 R "t" { "A" "B" } { 2 1 }\n{ { "o" 1, 2 } }\n1 2\n'
    error = read_error(text)
    assert str(error).startswith(
        f"{FILE}: line 3, column 3: outcome index '2' for profile 2 of 2 ('2', '1') is out of range"
    )
    assert "outcomes 1 to 1" in str(error)
    assert "not an outcome number" in str(read_error(text.replace("1 2\n", "1 -1\n")))
    assert "not an outcome number" in str(read_error(text.replace("1 2\n", "1 1.0\n")))
    assert "expected 2 outcome indices, one per profile, found 1" in str(read_error(text.replace("1 2\n", "1\n")))


def test_malformed_outcomes():
    base = 'NFG 1 R "t" { "A" "B" } { 1 1 }\n{ OUTCOME }\n1\n'
    assert "name of outcome 1" in str(read_error(base.replace("OUTCOME", "{ 1, 2 }")))
    short = str(read_error(base.replace("OUTCOME", '{ "o" 1 }')))
    assert short.startswith(f"{FILE}: line 2, column 11:") and "payoff of player 'B'" in short
    assert "'x' is not a number" in str(read_error(base.replace("OUTCOME", '{ "o" 1, x }')))
    assert "'}' closing outcome 1" in str(read_error(base.replace("OUTCOME", '{ "o" 1 2 3 }')))


def test_too_many_profiles_is_refused_at_once():
    start = time.perf_counter()
    with pytest.raises(GameTooLargeError) as info:
        read_nfg('NFG 1 R "huge" { "A" "B" "C" } { 1000 1000 1000 }', file=FILE)
    assert time.perf_counter() - start < 1.0
    assert str(info.value).startswith(f"{FILE}: line 1, column 44: the game has more than 10,000,000")
    assert DEFAULT_MAX_PROFILES == 10_000_000
    assert isinstance(info.value, InputError)
    with pytest.raises(GameTooLargeError):  # the strategy-name form is counted too
        read_nfg('NFG 1 R "" { "A" "B" } { { "a" "b" } { "c" "d" } } 1 2 3 4 5 6 7 8', max_profiles=3)
    assert read_nfg(GOOD, max_profiles=4).shape == (2, 2)


def test_load_nfg_names_the_file(tmp_path):
    missing = tmp_path / "nope.nfg"
    with pytest.raises(InputError) as info:
        load_nfg(missing)
    assert str(info.value).startswith(f"{missing}: cannot read the file")
    bad = tmp_path / "bad.nfg"
    bad.write_text(GOOD.replace("7 8", "7"))
    with pytest.raises(InputError) as info:
        load_nfg(bad)
    assert str(info.value) == f"{bad}: line 5: expected 8 payoffs for 4 profiles x 2 players, found 7"
    latin = tmp_path / "latin.nfg"
    latin.write_bytes(b'NFG 1 R "Caf\xe9" { "A" } { 1 } 1')  # old files may be Latin-1
    assert load_nfg(latin).title == "Café"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mangled_files_give_input_errors_only(data):
    text = (DATA / data.draw(st.sampled_from(["e02.nfg", "e02_outcome.nfg", "prisoners_dilemma.nfg"]))).read_text()
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 6)))
    insert = data.draw(st.text(alphabet=st.sampled_from(list('{}",\\ \n0123456789-./eNFGR')), max_size=4))
    mangled = text[:start] + insert + text[end:]
    try:
        game = read_nfg(mangled, file=FILE)
    except InputError as error:
        assert str(error).startswith(f"{FILE}: line ")
    else:
        assert isinstance(game, NormalFormGame)


@settings(max_examples=300, deadline=None)
@given(body=st.text(max_size=60))
def test_arbitrary_text_gives_input_errors_only(body):
    for text in (body, 'NFG 1 R "t" ' + body, 'NFG 1 R "t" { "A" "B" } ' + body):
        try:
            read_nfg(text, file=FILE)
        except InputError as error:
            assert str(error).startswith(f"{FILE}: line ")


# --------------------------------------------------------------------------- pygambit
def gambit_game(text: str):
    gbt = pytest.importorskip("pygambit")
    return gbt.read_nfg(io.StringIO(text))


def gambit_matches(G, game: NormalFormGame) -> None:
    """Gambit's view of a game equals ours: title, names and every payoff."""
    players = list(G.players)
    assert G.title == game.title
    assert [p.label for p in players] == list(game.players)
    assert [[s.label for s in p.strategies] for p in players] == [list(s) for s in game.strategies]
    for profile in np.ndindex(*game.shape):
        outcome = G[profile]
        for i, player in enumerate(players):
            value = Fraction(outcome[player]) if outcome is not None else Fraction(0)
            assert value == game.payoffs[i][profile], (profile, player.label)


# Names Gambit 16.7 accepts: printable ASCII, single inner spaces. Backslashes only
# where the format can spell them (not before a quote or backslash, not at the end).
gambit_names = st.one_of(
    st.sampled_from(["1", "2", "3"]),  # numbers collide with Gambit's default names
    st.from_regex(r"[!-~]{1,4}( [!-~]{1,4}){0,2}", fullmatch=True),
).filter(lambda s: not s.endswith("\\") and "\\\\" not in s and '\\"' not in s)


@pytest.mark.gambit
@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(game=exact_games(labels=gambit_names), form=st.sampled_from(["payoff", "outcome"]))
def test_gambit_reads_what_we_write(game, form):
    text = write_nfg(game, form=form)
    if gambit_label_issues(game):  # names Gambit 16.7 cannot open; it must refuse them
        with pytest.raises(ValueError):
            gambit_game(text)
    else:
        gambit_matches(gambit_game(text), game)


@pytest.mark.gambit
def test_gambit_reads_our_float_games_as_the_same_numbers():
    game = NormalFormGame.from_arrays([[0.1, -2.5e-7], [1e20, 3.0]], [[1.0, 2.0], [0.5, -0.125]])
    G = gambit_game(write_nfg(game))
    players = list(G.players)
    for profile in np.ndindex(2, 2):
        for i, player in enumerate(players):
            assert float(Fraction(G[profile][player])) == game.payoffs[i][profile]


@pytest.mark.gambit
@pytest.mark.parametrize("name", ["e02.nfg", "e02_outcome.nfg", "prisoners_dilemma.nfg", "three_player.nfg"])
def test_gambit_and_we_read_the_sample_files_alike(name):
    text = (DATA / name).read_text()
    gambit_matches(gambit_game(text), read_nfg(text))


@pytest.mark.gambit
def test_gambit_catalog_files_read_alike():
    gbt = pytest.importorskip("pygambit")
    files = sorted(Path(gbt.__file__).parent.rglob("*.nfg"))
    if not files:
        pytest.skip("this pygambit ships no .nfg files")
    for path in files:
        gambit_matches(gbt.read_nfg(str(path)), load_nfg(path))


@pytest.mark.gambit
def test_gambit_decodes_strings_and_names_like_us():
    # As spelled in the file: \" is a quote, other backslashes stay, "" and repeats get renamed.
    spelled = ['\\"quoted\\"', "a\\nb", "a\\\\b", "", "x", "x", "x_1", "{ , }"]
    quoted = " ".join('"' + s + '"' for s in spelled)
    text = f'NFG 1 R "t" {{ "A" }} {{ {{ {quoted} }} }} ' + " ".join(map(str, range(len(spelled))))
    game = read_nfg(text)
    assert game.strategies[0][:4] == ('"quoted"', "a\\nb", "a\\\\\\b", "_1")
    gambit_matches(gambit_game(text), game)


SCENARIOS = sorted((ROOT / "games").rglob("*.json"))


@pytest.mark.gambit
@pytest.mark.slow
@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_exported_scenarios_read_alike_in_gambit(path):
    import gametheory

    game = gametheory.load(path).bind()
    assert gambit_label_issues(game) == []
    for form in ("payoff", "outcome"):
        text = write_nfg(game, form=form)
        gambit_matches(gambit_game(text), game)
        assert_same_game(read_nfg(text), game)


@pytest.mark.gambit
def test_we_read_what_gambit_writes_outcome_version():
    gbt = pytest.importorskip("pygambit")
    A = [[Fraction(3, 4), -2, 0], [5, Fraction(1, 3), 7]]
    B = [[1, 0, 0], [Fraction(-9, 2), 2, 8]]
    G = gbt.Game.from_arrays(A, B, title='He said "go"')
    for player, label in zip(G.players, ["Row player", "Column"]):
        player.label = label
    for strategy, label in zip(list(G.players)[1].strategies, ["left", "mid dle", '"right"']):
        strategy.label = label
    text = G.to_nfg()
    assert "{ { " in text and "}\n1 2 3 4 5 6" in text.replace(" \n", "\n")  # outcome version
    game = read_nfg(text)
    gambit_matches(G, game)
    assert game.payoffs[0].tolist() == fr(A) and game.payoffs[1].tolist() == fr(B)


@pytest.mark.gambit
def test_we_read_what_gambit_writes_payoff_version():
    # Gambit writes the payoff version for the strategic form of a tree. Entry game:
    # the entrant stays Out (0, 2) or goes In; the incumbent then Fights (-1/2, -1)
    # or Accommodates (1, 1.5). Strategic form, entrant's strategy fastest:
    # (Out,F) (In,F) (Out,A) (In,A) -> (0,2) (-1/2,-1) (0,2) (1,3/2).
    gbt = pytest.importorskip("pygambit")
    G = gbt.Game.new_tree(players=["Entrant", "Incumbent"], title="Entry")
    G.append_move(G.root, "Entrant", ["Out", "In"])
    G.append_move(G.root.children["In"], "Incumbent", ["Fight", "Accommodate"])
    G.set_outcome(G.root.children["Out"], G.add_outcome("out", [0, 2]))
    G.set_outcome(G.root.children["In"].children["Fight"], G.add_outcome("fight", ["-1/2", -1]))
    G.set_outcome(G.root.children["In"].children["Accommodate"], G.add_outcome("share", [1, "1.5"]))
    text = G.to_nfg()
    assert "{ " not in text.split('""', 1)[1]  # no outcome list: the payoff version
    game = read_nfg(text)
    assert game.players == ("Entrant", "Incumbent")
    assert game.payoffs[0].tolist() == fr([[0, 0], [Fraction(-1, 2), 1]])
    assert game.payoffs[1].tolist() == fr([[2, 2], [-1, Fraction(3, 2)]])
