"""The live page in a real browser (headless Chromium driven by Playwright), against the Python solver.

For G1 (deterrence.json) x_r is moved across each threshold that the threshold search reports and the
equilibria the page lists are compared with :func:`gametheory.solve` at the same values; for G4
(sequencing.json) the pledge threshold of SCENARIOS.md (n_us + pledge_us = c_us + e_us, so pledge_us = 1)
is crossed and the subgame-perfect outcome compared with Python's backward induction. The page must
raise no console error, make no request beyond its own file, and read its state from the URL.
"""

from __future__ import annotations

import json
import os
import struct
from fractions import Fraction

import numpy as np
import pytest

from gametheory.report.live import render_live_page
from gametheory.scenario import load_scenario, scenario_values
from gametheory.sensitivity import classify_points, thresholds
from gametheory.sensitivity.live import live_page
from gametheory.sensitivity.spe import spe_thresholds
from gametheory.sensitivity.symbolic import SUPPORT_TIME_LIMIT
from gametheory.solvers import solve
from gametheory.solvers.selection import is_strict, pareto_dominates
from gametheory.solvers.trees import spe_label
from tests.support import DATA, GAMES

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium is not installed")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Session:
    """One page with everything it says to the outside recorded."""

    def __init__(self, browser, path):
        self.url = path.as_uri()
        self.page = browser.new_page(viewport={"width": 1280, "height": 720})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, hash_part: str = "") -> None:
        self.page.goto(self.url + hash_part)
        self.page.wait_for_selector("#equilibria", state="attached")

    def set(self, name: str, value) -> None:
        box = self.page.locator(f"#num-{name}")
        box.fill(str(value))
        box.dispatch_event("change")

    def shown(self) -> list[dict]:
        return [
            json.loads(li.get_attribute("data-probabilities")) for li in self.page.query_selector_all("#equilibria li")
        ]

    def at_boundary(self) -> bool:
        return self.page.get_attribute("#status", "data-boundary") == "true"


def as_dicts(solution) -> list[dict]:
    game = solution.game
    return [
        {p: {s: float(x) for s, x in zip(game.strategies[i], eq.profile[i])} for i, p in enumerate(game.players)}
        for eq in solution.equilibria
    ]


def same_equilibria(shown: list[dict], expected: list[dict]) -> bool:
    """The same set of profiles (probabilities within 1e-9), in any order."""

    def key(d):
        return sorted((p, s, round(x, 9)) for p, row in d.items() for s, x in row.items())

    return sorted(map(key, shown)) == sorted(map(key, expected))


def assert_selection_tags(session: Session, solution) -> None:
    """Each listed equilibrium is tagged strict / payoff-dominant exactly when solve's selection facts say so."""
    eqs = solution.equilibria
    for li in session.page.query_selector_all("#equilibria li"):
        shown = json.loads(li.get_attribute("data-probabilities"))
        (k,) = [k for k, d in enumerate(as_dicts(solution)) if same_equilibria([shown], [d])]
        dominant = len(eqs) > 1 and all(
            j == k or pareto_dominates(eqs[k].payoffs, o.payoffs) for j, o in enumerate(eqs)
        )
        assert li.get_attribute("data-strict") == str(is_strict(solution.game, eqs[k])).lower()
        assert li.get_attribute("data-payoff-dominant") == str(dominant).lower()


def write_page(tmp_path_factory, scenario, name, **options):
    path = tmp_path_factory.mktemp("live") / f"{name}.html"
    path.write_text(render_live_page(live_page(scenario, **options)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def g1(tmp_path_factory):
    scenario = load_scenario(GAMES / "deterrence.json")
    # the sweep engine's time limit, so that its closed forms are the page's (one sympy run, cached)
    options = {"free": ["x_r", "m_us"], "parameters": ["x_r"], "relations": False, "time_limit": SUPPORT_TIME_LIMIT}
    return scenario, write_page(tmp_path_factory, scenario, "g1", **options)


def test_g1_equilibria_on_both_sides_of_each_x_r_threshold_are_those_solve_finds(browser, g1, tmp_path):
    scenario, path = g1
    found = thresholds(scenario, "x_r", symbolic=False).thresholds
    # SCENARIOS.md: x_r = g_r - f_r - w_r + a_r = 5, and 6.5; 15, the end of x_r's declared range, is one too
    # (the deploying equilibria end there), but the slider cannot pass it
    assert [t.value for t in found] == [5, 6.5, 15]
    session = Session(browser, path)
    session.open()
    marks = session.page.evaluate("MODEL.parameters.find(q => q.name === 'x_r').thresholds.map(t => t.value)")
    assert marks == [t.value for t in found]
    for t in found[:2]:
        for x in (Fraction(t.exact) - Fraction(1, 100), Fraction(t.exact) + Fraction(1, 100)):
            session.set("x_r", float(x))
            assert not session.at_boundary()
            assert same_equilibria(session.shown(), as_dicts(solve(scenario.bind({"x_r": x}))))
        session.set("x_r", t.value)  # exactly at the threshold: flagged, not passed off as either side
        assert session.at_boundary()
    session.page.screenshot(path=tmp_path / "g1-1280x720.png")
    width, height = struct.unpack(">II", (tmp_path / "g1-1280x720.png").read_bytes()[16:24])
    assert (width, height) == (1280, 720)
    assert session.errors == []
    assert session.requests == [session.url]


def test_g1_state_comes_from_the_url_and_the_keyboard_moves_it(browser, g1):
    scenario, path = g1
    session = Session(browser, path)
    session.open("#x_r=6&m_us=2.5")
    assert session.page.input_value("#num-x_r") == "6" and session.page.input_value("#num-m_us") == "2.5"
    expected = solve(scenario.bind({"x_r": Fraction(6), "m_us": Fraction(5, 2)}))
    assert same_equilibria(session.shown(), as_dicts(expected))
    assert_selection_tags(session, expected)
    # m_us = 2.5 > c_us: pure deterrence next to nobody moves (SCENARIOS.md), shown by the file's names
    regime = session.page.text_content("#regime")
    assert regime.startswith("Regime: pure deterrence; nobody moves; mixed (deploy/hold, ") and "pure(" not in regime
    session.page.focus("#range-x_r")  # m_us moved: x_r's thresholds are located on the page for m_us = 2.5
    marks = session.page.evaluate("liveMarks.get('x_r').list.map(t => t.value)")
    assert session.page.get_attribute("#marks-x_r", "class") == "marks live"
    assert 5 in [round(v, 6) for v in marks]  # x_r = g_r - f_r - w_r + a_r = 5 does not depend on m_us
    session.page.keyboard.press("ArrowRight")
    moved = float(session.page.input_value("#num-x_r"))
    assert moved > 6
    assert session.page.evaluate("location.hash") == f"#x_r={moved:g}&m_us=2.5"
    session.page.click("#reset")
    assert session.page.evaluate("location.hash") == ""
    assert same_equilibria(session.shown(), as_dicts(solve(scenario.bind({}))))
    assert session.errors == []
    assert session.requests == [session.url]


def test_g1_map_labels_are_those_of_the_numpy_engine(browser, g1):
    """The page's regime at each point of a grid is the sweep's (closed forms compiled for numpy), boundaries included."""
    scenario, path = g1
    # m_us crosses c_us = 2 (pure deterrence appears) and one row sits exactly on it: boundaries on both sides
    xs, ys = np.linspace(0.1, 14.9, 13), np.append(np.linspace(0.05, 3.95, 8), 2.0)
    grid_x, grid_y = np.meshgrid(xs, ys, indexing="ij")
    engine = classify_points(scenario, {"x_r": grid_x, "m_us": grid_y}, resolve_boundary=False)
    session = Session(browser, path)
    session.open()
    points = [[float(x), float(y)] for x, y in zip(grid_x.ravel(), grid_y.ravel())]
    shown = session.page.evaluate(
        "(pts) => pts.map(([x, y]) => mapLabel(Object.assign({}, values, {x_r: x, m_us: y})))", points
    )
    expected = [None if b else label for b, label in zip(engine.boundary.ravel(), engine.labels.ravel())]
    assert shown == expected
    assert len(set(expected)) >= 3 and None in expected  # the grid crosses regimes and meets a boundary
    assert session.errors == []


def test_g4_pledge_threshold_flips_the_subgame_perfect_outcome(browser, tmp_path_factory):
    scenario = load_scenario(GAMES / "sequencing.json")
    path = write_page(tmp_path_factory, scenario, "g4", free=["pledge_us"], thresholds=False)
    session = Session(browser, path)
    session.open()
    found = spe_thresholds(scenario, "pledge_us")
    assert [t.value for t in found] == [1]  # SCENARIOS.md: the rescue is credible once n_us + pledge_us > c_us + e_us
    for pledge in (found[0].value - Fraction(1, 10), found[0].value + Fraction(1, 10)):
        session.set("pledge_us", float(pledge))
        values = {"pledge_us": pledge}
        outcome = spe_label(scenario.extensive, scenario_values(scenario, values))
        assert session.page.get_attribute("#status", "data-spe") == outcome
        assert same_equilibria(session.shown(), as_dicts(solve(scenario.bind(values), "pure")))
        tags = [li.get_attribute("data-subgame-perfect") for li in session.page.query_selector_all("#equilibria li")]
        assert tags.count("true") == 1  # backward induction without ties: one subgame-perfect plan profile
    assert session.errors == []
    assert session.requests == [session.url]


def test_a_gambit_file_without_parameters_still_answers(browser, tmp_path_factory):
    from gametheory.formats import load

    scenario = load(DATA / "prisoners_dilemma.nfg")
    session = Session(browser, write_page(tmp_path_factory, scenario, "pd"))
    session.open()
    assert same_equilibria(session.shown(), as_dicts(solve(scenario.bind({}))))
    assert "no parameters" in session.page.inner_text("#coverage")
    assert session.errors == []
    assert session.requests == [session.url]


def test_stag_hunt_tags_its_payoff_dominant_and_strict_equilibria(browser, tmp_path_factory):
    scenario = load_scenario(GAMES / "classics" / "stag_hunt.json")
    session = Session(browser, write_page(tmp_path_factory, scenario, "stag", thresholds=False))
    session.open()
    solution = solve(scenario.bind({}))
    assert same_equilibria(session.shown(), as_dicts(solution))
    assert_selection_tags(session, solution)
    tags = [li.get_attribute("data-payoff-dominant") for li in session.page.query_selector_all("#equilibria li")]
    assert tags.count("true") == 1  # (stag, stag): better for both hunters than the other two equilibria
    assert session.errors == []
