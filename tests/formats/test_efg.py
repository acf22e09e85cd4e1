"""Gambit ``.efg`` files: reading (hand-written files, Gambit's own output and the files
bundled with pygambit), writing, round trips, and pygambit reading what we write.

pygambit is the independent reference: its reduced strategic form
(``Game.to_arrays``), its strategies' actions and its subgame roots are compared
with ours, plan by plan.
"""

from __future__ import annotations

import io
import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import gametheory as gt
from gametheory.cli import app
from gametheory.errors import InputError
from gametheory.extensive import TERMINAL
from gametheory.formats.efg import read_efg, scenario_efg, write_efg
from gametheory.scenario import scenario_values
from gametheory.scenario.tree import parse_tree
from gametheory.solvers.trees import analyse_tree
from tests.support import ROOT

F = Fraction
GAMES = ROOT / "games"
TREES = ["sequencing.json", "legal_route.json", "classics/entry_deterrence.json", "uncertain_resolve_bayesian.json"]

ENTRY_EFG = """EFG 2 R "Entry" { "Entrant" "Incumbent" }
"the textbook entry game"

p "start" 1 1 "entry" { "enter" "stay_out" } 0
p "" 2 1 "response" { "fight" "accommodate" } 0
t "" 1 "war" { -1, -1 }
t "" 2 "shared" { 1 1 }
t "" 3 "kept" { 0, 2 }
"""


def read_tree(text: str, file: str = "g.efg"):
    parsed = read_efg(text, file=file)
    return parse_tree(parsed["tree"], parsed["players"], (), (), file=file, allow_idle_players=True), parsed


def leaves(tree) -> list[tuple[tuple[str, ...], tuple]]:
    return [(n.history, tuple(p.evaluate({}) for p in n.payoffs)) for n in tree.nodes if n.kind == TERMINAL]


# ----------------------------------------------------------------------------- reading
def test_read_hand_written_entry_game(tmp_path):
    path = tmp_path / "entry.efg"
    path.write_text(ENTRY_EFG)
    sc = gt.load(path)
    assert sc.title == "Entry" and sc.description == "the textbook entry game"
    assert sc.strategies == (("enter", "stay_out"), ("fight", "accommodate"))
    assert leaves(sc.extensive) == [
        (("enter", "fight"), (-1, -1)),
        (("enter", "accommodate"), (1, 1)),
        (("stay_out",), (0, 2)),
    ]
    game = sc.bind()
    a = analyse_tree(sc.extensive, {}, game)
    assert [tuple(st.action for st in s.path) for s in a.spe] == [("enter", "accommodate")]


def test_outcomes_at_inner_nodes_add_up_and_repeats_may_omit_details():
    text = """EFG 2 R "stages" { "A" "B" }
c "" 1 "" { "hi" 1/4 "lo" 0.75 } 1 "entry fee" { -1, 0 }
p "" 1 1 "" { "x" "y" } 0
t "" 2 "o2" { 5, 1 }
t "" 3 "o3" { 0, 2 }
p "" 1 1 0
t "" 2
t "" 4 "o4" { 2, 2 }
"""
    tree, parsed = read_tree(text)
    assert parsed["players"] == ["A", "B"]
    assert tree.nodes[0].probabilities[1].evaluate({}) == F(3, 4)
    assert leaves(tree) == [(("hi", "x"), (4, 1)), (("hi", "y"), (-1, 2)), (("lo", "x"), (4, 1)), (("lo", "y"), (1, 2))]
    assert len(tree.infosets) == 1 and len(tree.infosets[0].nodes) == 2  # A cannot tell hi from lo
    assert tree.plan_names == (("x", "y"), ("none",))  # B never moves: one empty plan


def test_labels_made_usable():
    text = """EFG 2 R "labels" { "" "" }
p "n" 1 1 "" { "" "a/b" "a_b" } 0
t "n" 0
t "" 1 "" { 1, 1 }
p "" 2 1 "" { "x" "x" } 0
t "" 0
t "" 0
"""
    tree, parsed = read_tree(text)
    assert parsed["players"] == ["_1", "_2"]
    assert tree.nodes[0].actions == ("1", "a_b_1", "a_b_2")
    assert tree.nodes[3].actions == ("x_1", "x_2")
    assert all(n.label == "" for n in tree.nodes)  # the repeated name "n" is not an id


@pytest.mark.parametrize(
    "text, where, words",
    [
        ('NFG 1 R "x" { "A" } { 1 } 0', "line 1, column 1", "not a Gambit .efg file (an NFG file"),
        ('EFG 2 R "x" { "A" }\np "" 2 1 "" { "a" } 0\nt "" 0', "line 2", "player 2 does not exist"),
        ('EFG 2 R "x" { "A" }\np "" 1 1 "" { "a" "b" } 0\nt "" 0', "line 3", "ends before the tree is complete"),
        (
            'EFG 2 R "x" { "A" }\np "" 1 1 "" { "a" } 0\nt "" 0\nt "" 0',
            "line 4",
            "the tree is complete, but the file goes on",
        ),
        ('EFG 2 R "x" { "A" }\np "" 1 1 "" { "a" } 0\nt "" 1 "o" { 1.5.2 }', "line 3", "is not a number"),
        ('EFG 2 R "x" { "A" }\np "" 1 1 "" { "a" } 0\nt "" 7', "line 3", "outcome 7 is used before its payoffs"),
        ('EFG 2 R "x" { "A" }\np "" 1 1 0\nt "" 0', "line 2", "used before its actions are given"),
        ('EFG 2 R "x" { "A" }\np "" 1 1 "" { "a" } 0\nt "" 1 "o" { 1, 2 }', "line 3", "has 2 payoffs for 1 players"),
        (
            'EFG 2 R "x" { "A" }\nc "" 1 "" { "h" 1/2 "t" 1/3 } 0\np "" 1 1 "" { "a" } 0\nt "" 0\nt "" 0',
            "line 2",
            "sum to 5/6, not 1",
        ),
    ],
)
def test_errors_name_line_and_column(text, where, words):
    with pytest.raises(InputError) as info:
        read_tree(text)
    assert info.value.file == "g.efg"
    assert info.value.path.startswith(where), info.value.path
    assert words in str(info.value)


# ----------------------------------------------------------------------------- writing and round trips
def structure(tree, values):
    tv = tree.evaluate(values)
    out = []
    for node in tree.nodes:
        item = [node.kind, node.history, node.actions]
        if node.kind == "decision":
            info = tree.infosets[node.infoset]
            item += [tree.players[node.player], tuple(tree.nodes[m].history for m in info.nodes)]
        elif node.kind == "chance":
            item.append(tv.probabilities[node.index])
        else:
            item.append(tv.payoffs[node.index][: len(tree.players)])
        out.append(tuple(item))
    return out


def scenario_tree(sc):
    if sc.extensive is not None:
        return sc.extensive
    from gametheory.scenario.bayesian import bayesian_tree

    return bayesian_tree(sc.bayesian)


@pytest.mark.parametrize("name", TREES)
def test_round_trip_keeps_the_game(name):
    sc = gt.load(GAMES / name)
    game = sc.bind()
    values = scenario_values(sc, game.parameters)
    text = scenario_efg(sc, game)
    again, parsed = read_tree(text)
    assert parsed["title"] == sc.title
    assert structure(again, {}) == structure(scenario_tree(sc), values)
    assert again.plan_names == scenario_tree(sc).plan_names
    assert write_efg(again, {}, title=parsed["title"], comment=parsed["comment"]) == text  # a fixed point


def test_round_trip_of_gambit_catalog_games():
    gbt = pytest.importorskip("pygambit")
    for path in catalog_files(gbt):
        G = gbt.read_efg(str(path))
        if not G.is_perfect_recall:
            continue
        tree, parsed = read_tree(path.read_text(), file=str(path))
        text = write_efg(tree, {}, title=parsed["title"])
        again, _ = read_tree(text)
        assert structure(again, {}) == structure(tree, {}), path.name


# ----------------------------------------------------------------------------- pygambit as the reference
def catalog_files(gbt) -> list[Path]:
    return sorted(Path(gbt.__file__).parent.rglob("*.efg"))


def node_path(node) -> tuple[int, ...]:
    """A pygambit node as the child positions from the root."""
    out = []
    while node.parent is not None:
        out.append(list(node.parent.children).index(node))
        node = node.parent
    return tuple(reversed(out))


def our_path(tree, n: int) -> tuple[int, ...]:
    out = []
    while tree.nodes[n].parent is not None:
        parent = tree.nodes[n].parent
        out.append(tree.nodes[parent].children.index(n))
        n = parent
    return tuple(reversed(out))


def assert_same_reduced_form(G, tree):
    """pygambit's reduced strategic form equals ours: each pygambit strategy is matched to our
    plan by the action it takes at each information set (found by node position)."""
    ours = {our_path(tree, info.nodes[0]): info.index for info in tree.infosets}
    players = list(G.players)
    matched = []
    for i, player in enumerate(players):
        plans = tree.plans[i]
        hs = tree.player_infosets[i]
        index = []
        for strategy in player.strategies:
            plan = []
            for h in hs:
                info = next(x for x in player.infosets if ours.get(node_path(next(iter(x.members)))) == h)
                action = strategy.action(info)
                plan.append(None if action is None else list(info.actions).index(action))
            index.append(plans.index(tuple(plan)) if hs else 0)
        assert sorted(index) == list(range(len(plans or [()])))  # a one-to-one match
        matched.append(index)
    payoffs, _ = tree.reduced_form()
    arrays = G.to_arrays()
    for profile in np.ndindex(*arrays[0].shape):
        ours_at = tuple(m[k] for m, k in zip(matched, profile))
        for i in range(len(players)):
            assert F(str(arrays[i][profile])) == payoffs[(i, *ours_at)].evaluate({})


def test_reading_gambit_catalog_files_like_gambit():
    gbt = pytest.importorskip("pygambit")
    files = catalog_files(gbt)
    if not files:
        pytest.skip("this pygambit ships no .efg files")
    refused = 0
    for path in files:
        G = gbt.read_efg(str(path))
        if not G.is_perfect_recall:
            with pytest.raises(InputError, match="perfect recall"):
                read_tree(path.read_text(), file=str(path))
            refused += 1
            continue
        tree, parsed = read_tree(path.read_text(), file=str(path))
        assert tuple(p.label for p in G.players) == tuple(parsed["players"]), path.name
        assert len(tree.nodes) == len(list(G.nodes)), path.name
        roots = {node_path(n) for n in G.nodes if not n.is_terminal and n.is_subgame_root}
        assert {our_path(tree, s) for s in tree.subgame_roots} == roots, path.name
        assert_same_reduced_form(G, tree)
    assert refused < len(files)


def test_we_read_what_gambit_writes():
    gbt = pytest.importorskip("pygambit")
    G = gbt.Game.new_tree(players=["Left", "Right"], title='a "quoted" title')
    G.append_move(G.root, "Left", ["u", "d"])
    up, down = G.root.children["u"], G.root.children["d"]
    G.append_move(up, "Right", ["l", "r"])
    G.append_move(down, "Right", ["l", "r"])
    G.set_infoset(down, up.infoset)  # Right does not see Left's move
    ends = [up.children["l"], up.children["r"], down.children["l"], down.children["r"]]
    for k, (node, pay) in enumerate(zip(ends, [(3, 1), (0, 0), (gbt.Rational(1, 2), 2), (1, 3)])):
        G.set_outcome(node, G.add_outcome(f"o{k}", list(pay)))
    text = G.to_efg()
    tree, parsed = read_tree(text)
    assert parsed["title"] == 'a "quoted" title'
    assert len(tree.infosets[1].nodes) == 2
    assert leaves(tree)[2] == (("d", "l"), (F(1, 2), 2))
    assert_same_reduced_form(G, tree)


@pytest.mark.parametrize("name", TREES)
def test_pygambit_reads_what_we_write(name):
    gbt = pytest.importorskip("pygambit")
    sc = gt.load(GAMES / name)
    game = sc.bind()
    G = gbt.read_efg(io.StringIO(scenario_efg(sc, game)))
    assert G.title == sc.title and G.is_perfect_recall
    assert tuple(p.label for p in G.players) == game.players
    assert tuple(len(p.strategies) for p in G.players) == game.shape
    arrays = G.to_arrays()
    for i in range(game.num_players):  # same order of plans as Gambit's reduced strategies
        assert [[F(str(x)) for x in row] for row in np.asarray(arrays[i]).reshape(game.shape[0], -1)] == game.payoffs[
            i
        ].reshape(game.shape[0], -1).tolist()


def test_pygambit_reads_a_written_imperfect_information_tree():
    gbt = pytest.importorskip("pygambit")
    data = {
        "form": "tree",
        "title": "sim",
        "players": [{"name": "A"}, {"name": "B"}],
        "tree": {
            "player": "A",
            "moves": {
                "u": {"player": "B", "infoset": "b", "moves": {"l": {"payoffs": [3, 1]}, "r": {"payoffs": [0, 0]}}},
                "d": {"player": "B", "infoset": "b", "moves": {"l": {"payoffs": [0, 0]}, "r": {"payoffs": [1, 3]}}},
            },
        },
    }
    from gametheory.scenario import parse_scenario

    sc = parse_scenario(data)
    text = write_efg(sc.extensive, {}, title="sim")
    G = gbt.read_efg(io.StringIO(text))
    assert len(list(G.infosets)) == 2
    assert_same_reduced_form(G, sc.extensive)


# ----------------------------------------------------------------------------- the CLI
def test_cli_solves_an_efg_file(tmp_path):
    path = tmp_path / "entry.efg"
    path.write_text(ENTRY_EFG)
    result = CliRunner().invoke(app, ["solve", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert [s["path"] for s in out["subgame_perfect"]] == [["enter", "accommodate"]]


def test_cli_convert_to_efg(tmp_path):
    target = tmp_path / "g4.efg"
    result = CliRunner().invoke(
        app, ["convert", str(GAMES / "sequencing.json"), "--to", "efg", "--set", "pledge_us=2", "--out", str(target)]
    )
    assert result.exit_code == 0, result.output
    sc = gt.load(target)
    a = analyse_tree(sc.extensive, {}, sc.bind())
    assert [tuple(st.action for st in s.path) for s in a.spe] == [("deploy_first", "accept")]
    result = CliRunner().invoke(app, ["convert", str(GAMES / "deterrence.json"), "--to", "efg"])
    assert result.exit_code == 2 and "normal-form game (use --to nfg)" in result.output


def test_cli_bad_efg_exit_code_2(tmp_path):
    path = tmp_path / "bad.efg"
    path.write_text('EFG 2 R "x" { "A" }\np "" 1 1 "" { "a" "b" } 0\nt "" 0\n')
    result = CliRunner().invoke(app, ["solve", str(path)])
    assert result.exit_code == 2
    assert f"{path}: line 4" in result.output and "ends before the tree is complete" in result.output


@pytest.mark.parametrize(
    "name, values, count",
    [("sequencing.json", {}, 14), ("sequencing.json", {"pledge_us": 2}, 14), ("legal_route.json", {}, 3)],
)
def test_pygambit_finds_the_same_pure_equilibria_on_the_tree(name, values, count):
    """SCENARIOS.md's verification: pygambit's enumpure_solve on the tree itself."""
    gbt = pytest.importorskip("pygambit")
    sc = gt.load(GAMES / name)
    game = sc.bind(values)
    G = gbt.read_efg(io.StringIO(scenario_efg(sc, game)))
    theirs = set()
    for eq in gbt.nash.enumpure_solve(G).equilibria:
        theirs.add(tuple(next(k for k, s in enumerate(p.strategies) if eq[s] == 1) for p in G.players))
    ours = {e.pure_profile for e in gt.solve(game, "pure").equilibria}
    assert len(theirs) == count and ours == theirs  # plans are in Gambit's order (checked above)
