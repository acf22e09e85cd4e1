"""Payoffs that sympy cannot order (a non-real value inside max, min or a comparison).

``if(t > 100, max(r, log(s - 1)), r)`` is harmless wherever t <= 100, and the
numeric path evaluates it there without complaint; with s fixed at 0, sympy
turns the taken-nowhere branch into ``Max(r, I*pi)`` and refuses to build it
("is not comparable"). The analyses must then answer as the numeric path
does (closed forms unavailable, thresholds found by scanning), and an
expression converted on its own must give a located InputError, never a bare
ValueError.
"""

from __future__ import annotations

import json

import pytest
import sympy as sp

import gametheory as gt
from gametheory.errors import EvaluationError
from gametheory.expressions import parse_expression
from gametheory.sensitivity import sensitivity, sweep, thresholds
from tests.support import GAMES

#: (Cooperate, cooperate) for the row player: r, unless t > 100 (outside t's range of [4, 8]).
HIDDEN_LOG = "if(t > 100, max(r, log(s - 1)), r)"


@pytest.fixture(scope="module")
def hidden(tmp_path_factory):
    data = json.loads((GAMES / "classics" / "prisoners_dilemma.json").read_text())
    data["matrix"][0][0][0] = HIDDEN_LOG
    path = tmp_path_factory.mktemp("not_real") / "pd.json"
    path.write_text(json.dumps(data))
    return gt.load(path)


def test_max_of_a_non_real_constant_is_a_located_evaluation_error():
    expression = parse_expression("max(r, log(s - 1))", ["r", "s"])
    with pytest.raises(EvaluationError, match="log"):
        expression.to_sympy({"s": sp.Integer(0)})
    with pytest.raises(EvaluationError):  # a comparison with a non-real value
        parse_expression("if(log(s - 1) > r, 1, 0)", ["r", "s"]).to_sympy({"s": sp.Integer(0)})


def test_thresholds_answer_as_the_numeric_path_does(hidden):
    # t only decides whether the hidden branch is taken, and it is not in [4, 8]: no threshold,
    # exactly what the scan without algebra finds.
    symbolic = thresholds(hidden, "t")
    numeric = thresholds(hidden, "t", symbolic=False)
    assert [th.value for th in symbolic.thresholds] == [th.value for th in numeric.thresholds] == []
    assert any("$.matrix[0][0][0]" in note for note in symbolic.notes), symbolic.notes
    # s moves the payoffs of (D, C) and (C, D) only through s itself: defect stays dominant on [-2, 0].
    assert thresholds(hidden, "s").thresholds == ()


def test_sweep_falls_back_to_the_solver(hidden):
    result = sweep(hidden, {"t": (4, 8, 3)}, jobs=1)
    assert set(result.regimes.labels.ravel()) == {"pure(defect,defect)"}
    assert any("$.matrix[0][0][0]" in note for note in result.notes), result.notes


def test_sensitivity_and_its_conditions_say_why_there_is_no_closed_form(hidden):
    report = sensitivity(hidden, ["t"])
    assert [eq.support for eq in report.solution.equilibria] == [((1,), (1,))]  # (defect, defect), as solve finds
    assert any("no real symbolic form" in note and "$.matrix[0][0][0]" in note for note in report.notes), report.notes
