"""Game trees: validation, reduced normal form, subgame perfection, credibility.

Expected answers are textbook results worked out by hand next to each test
(entry deterrence, a tie at a node, an entry game with a simultaneous-move
subgame) or a second, independent construction written in the test (the
sequencing game's 72 profiles are mapped to leaves by a few lines that follow
the story of SCENARIOS.md Appendix C, not by the library's tree walk).
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

import gametheory as gt
from gametheory.cli import app
from gametheory.errors import EvaluationError, InputError
from gametheory.expressions import parse_expression
from gametheory.extensive import weighted_sum
from gametheory.report.tree import violation_better, violation_moves, violation_where
from gametheory.scenario import parse_scenario, scenario_values
from gametheory.solvers.trees import analyse_tree

F = Fraction
GAMES = Path(__file__).resolve().parent.parent / "games"


# ----------------------------------------------------------------------------- helpers
def tree_file(tree, players=("P1", "P2"), **extra) -> dict:
    data = {"form": "tree", "title": "t", "players": [{"name": p} for p in players], "tree": tree}
    data.update(extra)
    return data


def analysed(data_or_scenario, **values):
    sc = (
        data_or_scenario
        if isinstance(data_or_scenario, gt.Scenario)
        else parse_scenario(data_or_scenario, file="t.json")
    )
    game = sc.bind({k: F(v) for k, v in values.items()})
    analysis = analyse_tree(sc.extensive, scenario_values(sc, game.parameters), game)
    return sc, game, analysis


def spe_paths(analysis) -> set[tuple[str, ...]]:
    return {tuple(step.action for step in s.path) for s in analysis.spe}


def leaf(*payoffs):
    return {"payoffs": list(payoffs)}


ENTRY = tree_file(
    {
        "player": "Entrant",
        "moves": {
            "enter": {"player": "Incumbent", "moves": {"fight": leaf(-1, -1), "accommodate": leaf(1, 1)}},
            "stay_out": leaf(0, 2),
        },
    },
    players=("Entrant", "Incumbent"),
)


# ----------------------------------------------------------------------------- textbook trees
def test_entry_deterrence_classic_file():
    _sc, game, a = analysed(gt.load(GAMES / "classics" / "entry_deterrence.json"))
    assert game.strategies == (("enter", "stay_out"), ("fight", "accommodate"))
    # Backward induction by hand: after entry accommodate (1 > -1), so enter (1 > 0).
    assert spe_paths(a) == {("enter", "accommodate")}
    assert a.spe[0].payoffs == (1, 1)
    verdicts = {game.profile_names(p): v for p, v in zip(a.pure_nash, a.pure_verdicts)}
    assert set(verdicts) == {("enter", "accommodate"), ("stay_out", "fight")}
    assert verdicts[("enter", "accommodate")].subgame_perfect is True
    threat = verdicts[("stay_out", "fight")]
    assert threat.subgame_perfect is False
    [move] = threat.noncredible
    words = (violation_moves(a.tree, move), violation_better(a.tree, move), violation_where(a.tree, move))
    assert (move.player, *words) == ("Incumbent", "fight", "accommodate", "after enter")
    assert (move.payoff, move.better_payoff) == (-1, 1)
    [support] = threat.supports
    assert (support.player, support.action, support.alternative) == ("Entrant", "stay_out", "enter")


def test_entry_tree_reduced_form_equals_the_normal_form_file():
    tree = gt.load(GAMES / "classics" / "entry_deterrence.json")
    normal = gt.load(GAMES / "classics" / "entry_deterrence_normal.json")
    for values in ({}, {"war": F(-3), "duopoly": F(3, 2)}):
        a, b = tree.bind(values), normal.bind(values)
        assert a.strategies == b.strategies and (a.payoffs == b.payoffs).all()


def test_credible_threat_when_fighting_pays():
    data = json.loads(json.dumps(ENTRY))
    data["tree"]["moves"]["enter"]["moves"]["fight"] = leaf(-1, 3)  # fighting now beats sharing (3 > 1)
    _, _game, a = analysed(data)
    assert spe_paths(a) == {("stay_out",)}
    assert [v.subgame_perfect for v in a.pure_verdicts] == [True]


def test_ties_give_every_subgame_perfect_equilibrium():
    # P2 is indifferent after L (1 = 1), and its choice decides P1's: with a, L pays 3 > 1;
    # with b, L pays 0 < 1. By hand: exactly two SPE, (L, a) and (R, b).
    data = tree_file(
        {"player": "P1", "moves": {"L": {"player": "P2", "moves": {"a": leaf(3, 1), "b": leaf(0, 1)}}, "R": leaf(1, 0)}}
    )
    _, game, a = analysed(data)
    assert spe_paths(a) == {("L", "a"), ("R",)}
    profiles = {tuple(game.profile_names(s.pure_profile)) for s in a.spe}
    assert profiles == {("L", "a"), ("R", "b")}
    assert a.complete


def test_ties_at_two_nodes_multiply():
    # Two independent indifferent movers below a chance node: 2 x 2 SPE, all with the same payoffs.
    data = tree_file(
        {
            "chance": {"h": "1/2", "t": "1/2"},
            "moves": {
                "h": {"player": "P1", "moves": {"x": leaf(1, 0), "y": leaf(1, 5)}},
                "t": {"player": "P2", "moves": {"u": leaf(2, 2), "v": leaf(7, 2)}},
            },
        }
    )
    _, _game, a = analysed(data)
    assert len(a.spe) == 4
    assert {s.payoffs for s in a.spe} == {(F(3, 2), F(7, 2)), (F(3, 2), F(1)), (F(4), F(7, 2)), (F(4), F(1))}


def test_simultaneous_subgame_solved_as_a_normal_form():
    # Out gives (2, 2); In leads to a simultaneous game with P2 not seeing P1's move.
    # In that subgame a dominates b for P2 (3 > 0, 2 > 0) and then A (3) beats B (1): unique
    # subgame equilibrium (A, a) worth 3 > 2 to P1, so the only SPE is (In, A, a).
    # (Out, b) is a Nash equilibrium (P1: 2 > 1 > 0) resting on P2's b, which a beats.
    data = tree_file(
        {
            "player": "P1",
            "moves": {
                "Out": leaf(2, 2),
                "In": {
                    "player": "P1",
                    "moves": {
                        "A": {"player": "P2", "infoset": "p2", "moves": {"a": leaf(3, 3), "b": leaf(0, 0)}},
                        "B": {"player": "P2", "infoset": "p2", "moves": {"a": leaf(1, 2), "b": leaf(1, 0)}},
                    },
                },
            },
        }
    )
    sc, game, a = analysed(data)
    assert not sc.extensive.perfect_information
    assert game.strategies == (("Out/-", "In/A", "In/B"), ("a", "b"))
    assert spe_paths(a) == {("In", "A", "a")}
    verdicts = {game.profile_names(p): v for p, v in zip(a.pure_nash, a.pure_verdicts)}
    assert set(verdicts) == {("In/A", "a"), ("Out/-", "b")}
    [move] = verdicts[("Out/-", "b")].noncredible
    assert (move.player, violation_moves(a.tree, move), violation_better(a.tree, move)) == ("P2", "b", "a")


def test_mixed_subgame_equilibria_roll_back():
    # Battle of the sexes after In: (A,a) = (3,1), (B,b) = (1,3), else (0,0); Out = (2, 2).
    # Subgame equilibria: (A,a) worth 3 to P1 -> In; (B,b) worth 1 -> Out; mixed P1 A 3/4,
    # P2 a 1/4, worth 3/4 to P1 -> Out. Three SPE.
    data = tree_file(
        {
            "player": "P1",
            "moves": {
                "Out": leaf(2, 2),
                "In": {
                    "player": "P1",
                    "moves": {
                        "A": {"player": "P2", "infoset": "p2", "moves": {"a": leaf(3, 1), "b": leaf(0, 0)}},
                        "B": {"player": "P2", "infoset": "p2", "moves": {"a": leaf(0, 0), "b": leaf(1, 3)}},
                    },
                },
            },
        }
    )
    sc, _game, a = analysed(data)
    assert len(a.spe) == 3
    assert {s.payoffs for s in a.spe} == {(3, 1), (2, 2)}
    mixed = [s for s in a.spe if not s.pure]
    [m] = mixed
    tree = sc.extensive
    p1_inner = tree.nodes[tree.nodes[0].children[1]].infoset
    p2 = tree.nodes[tree.nodes[tree.nodes[0].children[1]].children[0]].infoset
    assert m.behaviour[p1_inner] == (F(3, 4), F(1, 4))
    assert m.behaviour[p2] == (F(1, 4), F(3, 4))
    assert tuple(step.action for step in m.path) == ("Out",)


def test_chance_node_payoffs_are_expectations():
    data = tree_file(
        {
            "player": "P1",
            "moves": {
                "gamble": {"chance": {"win": "p", "lose": "1 - p"}, "moves": {"win": leaf(10), "lose": leaf(-10)}},
                "safe": leaf(1),
            },
        },
        players=("P1",),
        parameters={"p": {"default": 0.6, "range": [0, 1]}},
    )
    sc = parse_scenario(data)
    expr = sc.payoffs[0, 0]
    assert expr.evaluate({"p": F(3, 5)}) == 2  # 0.6*10 - 0.4*10
    _, _, a = analysed(data)
    assert spe_paths(a) == {("gamble", "win", "lose")}
    _, _, a = analysed(data, p="0.5")  # gamble worth 0 < 1
    assert spe_paths(a) == {("safe",)}


# ----------------------------------------------------------------------------- G4 structure
def appendix_c_leaf(europe: str, russia: str, us: str) -> str:
    """SCENARIOS.md Appendix C, rebuilt from the story (not from the library's tree walk)."""
    cf_move, after_sign, df_move = russia.split("/")
    us_cf, us_df = us.split("/")
    if europe == "cf_first":
        if cf_move == "refuse":
            return "L1"
        if after_sign == "accept":
            return "L2"
        return "L3" if us_cf == "intervene" else "L4"
    if df_move == "accept":
        return "L5"
    if df_move == "bypass":
        return "L8"
    return "L6" if us_df == "intervene" else "L7"


LEAVES_AT_DEFAULTS = {  # the G4 leaf table of SCENARIOS.md, 'value at defaults' column
    "L1": (-8, 4, -4),
    "L2": (4, -3, 0),
    "L3": (-17, -8, -9),
    "L4": (-26, 0, -8),
    "L5": (4, -3, 0),
    "L6": (-21, -6, -9),
    "L7": (-30, 2, -8),
    "L8": (-14, -4, -4),
}


def test_sequencing_reduced_form_is_appendix_c():
    sc = gt.load(GAMES / "sequencing.json")
    game = sc.bind()
    assert game.shape == (2, 9, 4)  # 72 profiles
    assert game.strategies[1] == (
        "refuse/-/accept",
        "refuse/-/target",
        "refuse/-/bypass",
        "sign/accept/accept",
        "sign/accept/target",
        "sign/accept/bypass",
        "sign/target/accept",
        "sign/target/target",
        "sign/target/bypass",
    )
    assert game.strategies[2] == ("intervene/intervene", "intervene/abstain", "abstain/intervene", "abstain/abstain")
    for profile in game.profiles():
        names = game.profile_names(profile)
        expected = LEAVES_AT_DEFAULTS[appendix_c_leaf(*names)]
        assert tuple(game.payoffs[(slice(None), *profile)]) == expected, names


def test_plan_descriptions_and_subgames():
    sc = gt.load(GAMES / "sequencing.json")
    tree = sc.extensive
    assert tree.perfect_information
    assert len(tree.subgame_roots) == 6  # every decision node starts a subgame
    assert sc.players[1].strategy_descriptions[0] == "after cf_first: refuse; after deploy_first: accept"


def test_chance_tree_reduced_form_is_appendix_d():
    sc = gt.load(GAMES / "legal_route.json")
    game = sc.bind()
    assert game.shape == (3, 16)
    assert game.strategies[1][:5] == (
        "veto/lobby/accept/-/accept",
        "veto/lobby/accept/-/target",
        "veto/lobby/target/-/accept",
        "veto/lobby/target/-/target",
        "veto/quiet/-/accept/accept",
    )
    # Appendix D: unga against veto/lobby/accept/-/x is p_lob*[M4] + (1 - p_lob)*[M3] = 0.3*(5, -2) + 0.7*(-11, 3)
    k = game.strategies[1].index("veto/lobby/accept/-/target")
    assert (game.payoffs[0][1, k], game.payoffs[1][1, k]) == (F(-31, 5), F(3, 2))
    # ... and against a quiet Russia that targets after a pass: 0.6*(-19, -3) + 0.4*(-11, 4)
    k = game.strategies[1].index("allow/quiet/-/target/accept")
    assert (game.payoffs[0][1, k], game.payoffs[1][1, k]) == (F(-79, 5), F(-1, 5))


def test_weighted_sum_builds_plain_expressions():
    p = parse_expression("p", ["p", "a", "b"])
    a = parse_expression("a", ["p", "a", "b"])
    one_minus = parse_expression("1 - p", ["p"])
    b = parse_expression("b", ["b"])
    expr = weighted_sum([((p,), a), ((one_minus,), b)])
    assert expr.evaluate({"p": F(1, 4), "a": 8, "b": 4}) == 5
    assert {s.name for s in expr.to_sympy().free_symbols} == {"p", "a", "b"}  # no placeholder left behind
    assert weighted_sum([((), a)]) is a
    half = parse_expression(F(1, 2), ())
    assert weighted_sum([((half,), parse_expression(3, ())), ((half,), parse_expression(5, ()))]).is_constant
    many = weighted_sum([((half,), a)] * 70)  # long sums are built in chunks
    assert many.evaluate({"a": 2}) == 70


# ----------------------------------------------------------------------------- validation
def error_of(data) -> InputError:
    with pytest.raises(InputError) as info:
        parse_scenario(data, file="t.json")
    assert info.value.file == "t.json"
    return info.value


def test_unknown_player_with_suggestion():
    data = tree_file(
        {"player": "P1", "moves": {"a": {"player": "P22", "moves": {"x": leaf(1, 1)}}, "b": leaf(0, 0)}},
        players=("P1", "P2"),
    )
    err = error_of(data)
    assert err.path == "$.tree.moves.a.player"
    assert "unknown player 'P22'" in str(err) and "did you mean 'P2'" in str(err)


def test_information_set_offering_different_moves():
    data = tree_file(
        {
            "player": "P1",
            "moves": {
                "A": {"player": "P2", "infoset": "h", "moves": {"a": leaf(1, 1), "b": leaf(0, 0)}},
                "B": {"player": "P2", "infoset": "h", "moves": {"a": leaf(1, 1), "c": leaf(0, 0)}},
            },
        }
    )
    err = error_of(data)
    assert err.path == "$.tree.moves.B.moves"
    assert "offers (a, b)" in str(err) and "(a, c)" in str(err)


def test_information_set_of_two_players():
    data = tree_file(
        {
            "player": "P1",
            "infoset": "h",
            "moves": {"A": {"player": "P2", "infoset": "h", "moves": {"a": leaf(1, 1)}}, "B": leaf(0, 0)},
        }
    )
    err = error_of(data)
    assert "one information set, one player" in str(err)


def test_perfect_recall_is_required():
    # P1 moves twice; its second information set joins nodes after its own different first moves.
    data = tree_file(
        {
            "player": "P1",
            "moves": {
                "L": {"player": "P1", "infoset": "forgot", "moves": {"x": leaf(1), "y": leaf(0)}},
                "R": {"player": "P1", "infoset": "forgot", "moves": {"x": leaf(0), "y": leaf(2)}},
            },
        },
        players=("P1",),
    )
    err = error_of(data)
    assert "perfect recall" in str(err) and err.path == "$.tree.moves.R.infoset"


def test_node_reached_twice():
    data = tree_file({"player": "P1", "moves": {"a": "end", "b": "end"}}, nodes={"end": leaf(1, 1)})
    data["players"] = [{"name": "P1"}]
    data["nodes"] = {"end": {"payoffs": [1]}}
    err = error_of(data)
    assert err.path == "$.tree.moves.b" and "reached twice" in str(err) and "$.tree.moves.a" in str(err)


def test_named_nodes_and_unused_ones():
    base = tree_file(
        {"player": "P1", "moves": {"a": "left", "b": {"payoffs": [0]}}},
        players=("P1",),
        nodes={"left": {"payoffs": [1]}},
    )
    sc = parse_scenario(base)
    assert sc.extensive.nodes[1].label == "left"
    base["nodes"]["spare"] = {"payoffs": [2]}
    err = error_of(base)
    assert err.path == "$.nodes.spare" and "never reached" in str(err)
    base["nodes"].pop("spare")
    base["tree"]["moves"]["a"] = "lefft"
    err = error_of(base)
    assert "unknown node 'lefft'" in str(err) and "did you mean 'left'" in str(err)


def test_constant_chance_probabilities_checked_at_load():
    data = tree_file(
        {"chance": {"h": 0.5, "t": 0.6}, "moves": {"h": {"player": "P1", "moves": {"x": leaf(1)}}, "t": leaf(0)}},
        players=("P1",),
    )
    err = error_of(data)
    assert err.path == "$.tree.chance" and "sum to 1.1, not 1" in str(err)
    data["tree"]["chance"] = {"h": 1.5, "t": -0.5}
    err = error_of(data)
    assert err.path == "$.tree.chance.t" and "cannot be negative" in str(err)
    data["tree"]["chance"] = {"h": 0.5}
    err = error_of(data)
    assert "no probability for 't'" in str(err)


def test_parameterised_chance_probabilities_checked_when_bound():
    data = tree_file(
        {"chance": {"h": "p", "t": "q"}, "moves": {"h": {"player": "P1", "moves": {"x": leaf(1)}}, "t": leaf(0)}},
        players=("P1",),
        parameters={"p": {"default": 0.5}, "q": {"default": 0.5}},
    )
    sc = parse_scenario(data, file="t.json")
    sc.bind()
    with pytest.raises(EvaluationError) as info:
        sc.bind({"q": "0.4"})
    assert info.value.file == "t.json" and info.value.path == "$.tree.chance"
    assert "(h 0.5, t 0.4) sum to 0.9, not 1, at p = 0.5, q = 0.4" in str(info.value)
    with pytest.raises(EvaluationError) as info:
        sc.bind({"p": "1.2", "q": "-0.2"})
    assert info.value.path == "$.tree.chance.t"


@pytest.mark.parametrize(
    "change, path, words",
    [
        (lambda d: d["tree"].update(payoffs=[0, 0]), "$.tree", "give only one of"),
        (lambda d: d["tree"]["moves"].update({"a/b": leaf(0, 0)}), "$.tree.moves", "not allowed"),
        (
            lambda d: d["tree"]["moves"]["stay_out"].update(payoffs={"Entrant": 0, "Incumbant": 2}),
            "$.tree.moves.stay_out.payoffs.Incumbant",
            "did you mean 'Incumbent'",
        ),
        (
            lambda d: d["tree"]["moves"]["stay_out"].update(payoffs=[0]),
            "$.tree.moves.stay_out.payoffs",
            "expected 2 payoffs",
        ),
        (
            lambda d: d["tree"]["moves"]["stay_out"].update(payoffs={"Entrant": "0 +", "Incumbent": 2}),
            "$.tree.moves.stay_out.payoffs.Entrant",
            "expression",
        ),
        (
            lambda d: d.update(payoffs=[{"profile": ["enter"], "payoffs": [1, 1]}]),
            "$.payoffs",
            "tree file has no top-level 'payoffs'",
        ),
        (lambda d: d["players"][0].update(strategies=["x"]), "$.players[0].strategies", "plans come from the tree"),
    ],
)
def test_validation_errors_name_the_place(change, path, words):
    data = json.loads(json.dumps(ENTRY))
    change(data)
    err = error_of(data)
    assert err.path == path and words in str(err)


def test_schema_errors_for_trees():
    data = json.loads(json.dumps(ENTRY))
    data["tree"]["moves"]["enter"]["colour"] = "red"
    err = error_of(data)
    assert "unknown field 'colour'" in str(err)
    data = json.loads(json.dumps(ENTRY))
    del data["tree"]
    err = error_of(data)
    assert "'tree' is required" in str(err)
    normal = {
        "title": "n",
        "players": [{"name": "A", "strategies": ["x"]}],
        "payoffs": [{"profile": ["x"], "payoffs": [1]}],
        "tree": ENTRY["tree"],
    }
    err = error_of(normal)
    assert err.path == "$.tree" and '"form": "tree"' in str(err)


def test_player_who_never_moves_and_tree_without_decisions():
    data = tree_file({"player": "P1", "moves": {"a": leaf(1, 1)}})
    err = error_of(data)
    assert "'P2' never moves" in str(err) and "observers" in str(err)
    data = tree_file({"chance": {"a": 1}, "moves": {"a": leaf(1, 1)}})
    err = error_of(data)
    assert "no decision node" in str(err)


def test_observers_receive_payoffs_at_the_leaves():
    data = tree_file(
        {
            "player": "P1",
            "moves": {"a": {"payoffs": {"P1": 1, "Ukraine": 5}}, "b": {"payoffs": {"P1": 2, "Ukraine": -1}}},
        },
        players=("P1",),
        observers=[{"name": "Ukraine"}],
    )
    sc = parse_scenario(data)
    game = sc.bind()
    assert game.observers == ("Ukraine",) and list(game.observer_payoffs[0]) == [5, -1]


# ----------------------------------------------------------------------------- CLI
def test_cli_reports_bad_tree_with_exit_code_2(tmp_path):
    data = json.loads(json.dumps(ENTRY))
    data["tree"]["moves"]["enter"]["player"] = "Incumbnt"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    result = CliRunner().invoke(app, ["solve", str(path)])
    assert result.exit_code == 2
    assert f"{path}: $.tree.moves.enter.player: unknown player 'Incumbnt'" in result.output
    assert "Traceback" not in result.output


def test_cli_bad_probability_at_the_chosen_values_exit_code_2():
    result = CliRunner().invoke(app, ["solve", str(GAMES / "legal_route.json"), "--set", "p_lob=1.2"])
    assert result.exit_code == 2
    assert "legal_route.json: $.tree.moves.unga.moves.lobby.chance.fail" in result.output
    assert "cannot be negative" in result.output


def test_cli_text_draws_the_tree_and_marks_backward_induction():
    result = CliRunner().invoke(app, ["solve", str(GAMES / "classics" / "entry_deterrence.json")])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "├── => enter: Incumbent" in out
    assert "│   └── => accommodate: (1, 1)" in out
    assert "└──    stay_out: (0, 2)" in out
    assert "rests on the non-credible move Incumbent fight after enter" in out


def test_cli_markdown_keeps_the_drawing_verbatim():
    result = CliRunner().invoke(
        app, ["solve", str(GAMES / "classics" / "entry_deterrence.json"), "--format", "markdown"]
    )
    assert result.exit_code == 0
    assert "```\nEntrant\n├── => enter: Incumbent" in result.output
