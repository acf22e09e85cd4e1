"""The ``names`` key of a scenario: the story's names of equilibria, validated with located errors."""

import copy
import json
from fractions import Fraction

import pytest

import gametheory as gt
from gametheory.errors import InputError
from gametheory.scenario import parse_scenario, read_json
from tests.support import ROOT

BASE = {
    "title": "Coordination",
    "players": [
        {"name": "Row", "strategies": ["go", "stay"]},
        {"name": "Col", "strategies": ["go", "stay"]},
    ],
    "matrix": [[[2, 2], [0, 0]], [[0, 0], [1, 1]]],
    "names": {
        "both go": {"profile": {"Row": "go", "Col": "go"}},
        "hesitation": {"support": {"Col": ["stay", "go"], "Row": ["go", "stay"]}},
    },
}


def load_dict(data):
    return parse_scenario(read_json(json.dumps(data), file="t.json"), file="t.json")


def error_of(names) -> InputError:
    data = copy.deepcopy(BASE)
    data["names"] = names
    with pytest.raises(InputError) as info:
        load_dict(data)
    return info.value


def test_names_become_supports_in_file_order_and_reach_the_bound_game():
    scenario = load_dict(BASE)
    assert scenario.names == {"both go": (("go",), ("go",)), "hesitation": (("go", "stay"), ("go", "stay"))}
    game = scenario.bind()
    assert game.names == {(("go",), ("go",)): "both go", (("go", "stay"), ("go", "stay")): "hesitation"}
    assert game.to_float().names == game.names


@pytest.mark.parametrize(
    ("names", "path", "words"),
    [
        ({"x": {"profile": {"Rwo": "go", "Col": "go"}}}, "$.names.x.profile.Rwo", "did you mean 'Row'?"),
        ({"x": {"support": {"Row": ["go", "stya"], "Col": ["go"]}}}, "$.names.x.support.Row[1]", "'stay'"),
        ({"x": {"profile": {"Row": "goo", "Col": "go"}}}, "$.names.x.profile.Row", "did you mean 'go'?"),
        ({"x": {"profile": {"Row": "go"}}}, "$.names.x.profile", "no strategy given for Col"),
        ({"x": {"profile": {"Row": "go", "Col": "go"}, "support": {}}}, "$.names.x", "either 'support' or"),
        ({"x": {"support": {"Row": ["go", "go"], "Col": ["go"]}}}, "$.names.x.support.Row[1]", "listed twice"),
        (
            {"x": {"profile": {"Row": "go", "Col": "go"}}, "y": {"support": {"Row": ["go"], "Col": ["go"]}}},
            "$.names.y",
            "already named 'x'",
        ),
        ({"x": {"profile": {"Row": "go", "Col": "go"}, "colour": "red"}}, "$.names.x", "unknown field 'colour'"),
    ],
)
def test_bad_names_are_located(names, path, words):
    error = error_of(names)
    assert error.path == path and words in error.message, str(error)


def test_shipped_names_match_the_story():
    # SCENARIOS.md, G1: E1 (hold, target, stay_out) is "nobody moves"; E2, with Europe deploying and Russia and
    # the US mixing, is "probabilistic deterrence". G5: "nobody commits" is all five abstaining.
    g1 = gt.load(ROOT / "games" / "deterrence.json")
    assert g1.names["nobody moves"] == (("hold",), ("target",), ("stay_out",))
    assert g1.names["probabilistic deterrence"] == (("deploy",), ("accept", "target"), ("backstop", "stay_out"))
    g5 = gt.load(ROOT / "games" / "force_generation.json")
    assert g5.names["nobody commits"] == (("abstain",),) * 5
    assert len(g5.questions) >= 2


def test_solve_text_and_json_carry_the_names():
    from gametheory.report.document import describe_equilibrium
    from gametheory.report.jsonout import solution_json

    scenario = load_dict(BASE)
    solution = gt.solve(scenario.bind())
    # Coordination by hand: (go, go), (stay, stay) and the mix go 1/3 for each player.
    lines = [describe_equilibrium(solution.game, eq) for eq in solution.equilibria]
    assert "both go: pure (go, go)" in lines and "pure (stay, stay)" in lines
    assert any(line.startswith("hesitation: mixed: Row go 1/3") for line in lines)
    data = json.loads(solution_json(solution))
    named = {e.get("name") for e in data["equilibria"]}
    assert named == {"both go", "hesitation", None}


def test_a_preset_adds_and_overrides_names():
    # Coordination with a preset that renames (go, go), names (stay, stay) and reuses the name "hesitation"
    # for a pure profile: under the preset its names win; elsewhere the scenario's stand.
    data = copy.deepcopy(BASE)
    data["parameters"] = {"g": {"default": 2}}
    data["matrix"][0][0] = ["g", "g"]
    data["presets"] = {
        "cautious": {
            "values": {"g": 3},
            "names": {
                "joint venture": {"profile": {"Row": "go", "Col": "go"}},
                "hesitation": {"profile": {"Row": "stay", "Col": "stay"}},
            },
        },
        "plain": {"values": {"g": 4}},
    }
    scenario = load_dict(data)
    assert scenario.presets["cautious"].names["hesitation"] == (("stay",), ("stay",))
    both, mix, stay = (("go",), ("go",)), (("go", "stay"), ("go", "stay")), (("stay",), ("stay",))
    assert scenario.bind(preset="cautious").names == {both: "joint venture", stay: "hesitation"}
    assert scenario.bind(preset="plain").names == scenario.bind().names == {both: "both go", mix: "hesitation"}
    data["default_preset"] = "cautious"
    assert load_dict(data).bind().names[both] == "joint venture"
    data["presets"]["cautious"]["names"] = {"x": {"profile": {"Row": "go", "Col": "stya"}}}
    with pytest.raises(InputError) as info:
        load_dict(data)
    assert info.value.path == "$.presets.cautious.names.x.profile.Col" and "did you mean 'stay'?" in info.value.message


def test_g3_presets_name_the_blame_game():
    # SCENARIOS.md, G3: force_arms is the blame game, (hold_out, settle) and (sign, fight_on) plus the mixed
    # sign 1/2, settle 1/3 (P(peace) = 1/6); assurances leaves (hold_out, settle): Ukraine holds out.
    from gametheory.report.names import game_family_text

    g3 = gt.load(ROOT / "games" / "guarantee_menu.json")
    solution = gt.solve(g3.bind(preset="force_arms"))
    named = {game_family_text(solution.game, eq.support, "pure" if eq.pure else "mixed") for eq in solution.equilibria}
    assert named == {"blame game: Kyiv refuses", "blame game: Moscow refuses", "blame game: peace by accident"}
    mixed = next(eq for eq in solution.equilibria if not eq.pure)
    assert (mixed.profile[0][0], mixed.profile[1][0]) == (Fraction(1, 2), Fraction(1, 3))
    assert g3.bind(preset="assurances").names == {(("hold_out",), ("settle",)): "Ukraine holds out"}
