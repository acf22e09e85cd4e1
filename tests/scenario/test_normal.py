"""Scenario loading: exact values, binding, and every bad-input case of the foundation issue."""

import copy
import json
import warnings
from fractions import Fraction

import pytest

import gametheory as gt
from gametheory.errors import EvaluationError, InputError
from gametheory.scenario import ParameterRangeWarning, parse_scenario, read_json

BASE = {
    "title": "Tiny",
    "players": [
        {"name": "Row", "strategies": ["up", "down"]},
        {"name": "Col", "strategies": ["left", "right"]},
    ],
    "parameters": {
        "a": {"default": 0.1, "range": [0, 1], "unit": "util", "description": "a number"},
        "b": {"default": 2, "range": [1, 5]},
    },
    "derived": {"ab": {"expression": "a*b"}},
    "payoffs": [
        {"profile": ["up", "left"], "payoffs": {"Row": "a", "Col": "b"}},
        {"profile": ["up", "right"], "payoffs": {"Row": "ab", "Col": 0}},
        {"profile": ["down", "left"], "payoffs": {"Row": "1/b", "Col": "a + b"}},
        {"profile": ["down", "right"], "payoffs": [1, "-a"]},
    ],
}


def load_dict(data, file="t.json"):
    return parse_scenario(read_json(json.dumps(data), file=file), file=file)


def error_of(data, file="t.json") -> InputError:
    with pytest.raises(InputError) as info:
        load_dict(data, file).bind()
    return info.value


def test_decimals_stay_exact_and_derived_values_computed():
    game = load_dict(BASE).bind()
    assert game.exact
    assert game.payoffs[0][0, 0] == Fraction(1, 10)
    assert game.payoffs[0][0, 1] == Fraction(1, 5)  # ab = 0.1 * 2
    assert game.payoffs[1][1, 0] == Fraction(21, 10)
    assert game.payoffs[1][1, 1] == Fraction(-1, 10)


def test_overrides_accept_text_fractions_and_floats():
    sc = load_dict(BASE)
    assert sc.bind({"a": "3/4"}).payoffs[0][0, 0] == Fraction(3, 4)
    assert sc.bind({"a": 0.3}).payoffs[0][0, 0] == Fraction(3, 10)
    assert sc.bind({"b": "4"}).parameters["b"] == 4


def test_matrix_shorthand_equals_rows():
    data = copy.deepcopy(BASE)
    del data["payoffs"]
    data["matrix"] = [[["a", "b"], ["ab", 0]], [["1/b", "a + b"], [1, "-a"]]]
    g1, g2 = load_dict(BASE).bind(), load_dict(data).bind()
    assert (g1.payoffs == g2.payoffs).all()


def test_presets_apply_between_defaults_and_overrides():
    data = copy.deepcopy(BASE)
    data["presets"] = {"big": {"values": {"b": 4}}}
    sc = load_dict(data)
    assert sc.bind(preset="big").parameters["b"] == 4
    assert sc.bind({"b": 3}, preset="big").parameters["b"] == 3
    with pytest.raises(InputError, match="unknown preset 'bog' \\(did you mean 'big'\\?\\)"):
        sc.bind(preset="bog")


# ------------------------------------------------------------------- bad input
def test_invalid_json_reports_line_and_column():
    with pytest.raises(InputError) as info:
        read_json('{"title": "x",\n  "players": [,]}', file="bad.json")
    assert str(info.value).startswith("bad.json: invalid JSON at line 2, column 15")


def test_missing_profile_named():
    data = copy.deepcopy(BASE)
    del data["payoffs"][2]
    err = error_of(data)
    assert err.path == "$.payoffs" and "(down, left)" in str(err)


def test_duplicate_profile_is_an_extra_row():
    data = copy.deepcopy(BASE)
    data["payoffs"].append(copy.deepcopy(data["payoffs"][0]))
    err = error_of(data)
    assert err.path == "$.payoffs[4].profile" and "already given at $.payoffs[0]" in str(err)


def test_profile_with_unknown_strategy_suggests_closest():
    data = copy.deepcopy(BASE)
    data["payoffs"][1]["profile"] = ["up", "rigth"]
    err = error_of(data)
    assert err.path == "$.payoffs[1].profile[1]"
    assert "'rigth' is not a strategy of Col (did you mean 'right'?)" in str(err)


def test_profile_of_wrong_length():
    data = copy.deepcopy(BASE)
    data["payoffs"][0]["profile"] = ["up"]
    assert error_of(data).path == "$.payoffs[0].profile"


def test_wrong_number_of_payoffs_in_list():
    data = copy.deepcopy(BASE)
    data["payoffs"][3]["payoffs"] = [1, 2, 3]
    err = error_of(data)
    assert err.path == "$.payoffs[3].payoffs" and "expected 2 payoffs" in str(err)


def test_payoff_for_unknown_player_and_missing_player():
    data = copy.deepcopy(BASE)
    data["payoffs"][0]["payoffs"] = {"Row": 1, "Cul": 2}
    err = error_of(data)
    assert "'Cul' is not a player (did you mean 'Col'?)" in str(err)
    data["payoffs"][0]["payoffs"] = {"Row": 1}
    assert "no payoff given for Col" in str(error_of(data))


def test_duplicate_player_and_strategy_names():
    data = copy.deepcopy(BASE)
    data["players"][1]["name"] = "Row"
    assert error_of(data).path == "$.players[1].name"
    data = copy.deepcopy(BASE)
    data["players"][0]["strategies"] = ["up", "up"]
    assert error_of(data).path == "$.players[0].strategies[1]"


def test_player_without_strategies():
    data = copy.deepcopy(BASE)
    data["players"][0]["strategies"] = []
    err = error_of(data)
    assert err.path == "$.players[0].strategies"


def test_undeclared_name_suggests_closest():
    data = copy.deepcopy(BASE)
    data["payoffs"][0]["payoffs"]["Row"] = "a + bb"
    err = error_of(data)
    assert err.path == "$.payoffs[0].payoffs.Row"
    assert "unknown name 'bb'" in str(err) and "did you mean" in str(err)


@pytest.mark.parametrize(
    "text",
    ["a.__class__", "open('x')", "a[0]", "lambda: 1", "'text'", "__import__('os').system('touch /tmp/pwned_gt')"],
)
def test_expressions_outside_the_allowlist_are_refused(text, tmp_path):
    data = copy.deepcopy(BASE)
    data["payoffs"][0]["payoffs"]["Row"] = text
    err = error_of(data)
    assert err.path == "$.payoffs[0].payoffs.Row" and "column" in str(err)
    import os

    assert not os.path.exists("/tmp/pwned_gt")


def test_unknown_top_level_field_with_suggestion():
    data = copy.deepcopy(BASE)
    data["parametres"] = data.pop("parameters")
    err = error_of(data)
    assert "unknown field 'parametres' (did you mean 'parameters'?)" in str(err)


def test_unknown_and_non_numeric_set():
    sc = load_dict(BASE)
    with pytest.raises(InputError, match="unknown parameter 'aa'"):
        sc.bind({"aa": 1})
    with pytest.raises(InputError, match="must be a number"):
        sc.bind({"a": "lots"})
    with pytest.raises(InputError, match="derived parameter"):
        sc.bind({"ab": 1})


def test_out_of_range_warns_or_fails_when_strict():
    sc = load_dict(BASE)
    with pytest.warns(ParameterRangeWarning, match=r"b = 9 is outside its declared range \[1, 5\]"):
        sc.bind({"b": 9})
    with pytest.raises(InputError, match="outside its declared range"):
        sc.bind({"b": 9}, strict=True)


def test_default_outside_range_is_an_error():
    data = copy.deepcopy(BASE)
    data["parameters"]["b"]["default"] = 7
    assert error_of(data).path == "$.parameters.b.default"


def test_cycle_among_derived_parameters():
    data = copy.deepcopy(BASE)
    data["derived"] = {"x": {"expression": "y + 1"}, "y": {"expression": "x * 2"}}
    err = error_of(data)
    assert "cycle" in str(err) and "x -> y -> x" in str(err).replace("y -> x -> y", "x -> y -> x")


def test_non_finite_values_refused():
    with pytest.raises(InputError, match="non-finite"):
        read_json('{"title": "t", "x": NaN}', file="n.json")
    sc = load_dict(BASE)
    with pytest.raises(InputError, match="finite"):
        sc.bind({"a": float("inf")})


def test_division_by_zero_names_the_payoff():
    sc = load_dict(BASE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ParameterRangeWarning)
        with pytest.raises(EvaluationError) as info:
            sc.bind({"b": 0})
    assert info.value.path == "$.payoffs[2].payoffs.Row" and info.value.file == "t.json"


def test_load_nonexistent_file():
    with pytest.raises(InputError, match="cannot read the file"):
        gt.load("/nonexistent/dir/x.json")


def test_every_library_file_validates(root):
    files = sorted((root / "games").rglob("*.json"))
    assert len(files) >= 10
    for path in files:
        sc = gt.load(path)
        game = sc.bind()
        assert game.num_players == len(sc.players) and game.shape == sc.shape
