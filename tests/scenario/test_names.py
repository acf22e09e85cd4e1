"""The ``names`` key of a scenario: the story's names of equilibria, validated with located errors."""

import copy
import json

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
