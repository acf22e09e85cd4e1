"""The handout explains the terms it uses and lists the scenario's discussion questions (issue #16, names a
student can follow)."""

from __future__ import annotations

import gametheory as gt
from gametheory.report.document import Bullets, Heading, Para
from gametheory.teaching.handout import build_handout, glossary_blocks
from tests.support import GAMES


def test_glossary_explains_only_the_terms_used():
    blocks = [Para("Exactly at x_r = 5 the game is degenerate: a continuum of equilibria."), Para("Pareto-efficient.")]
    [heading, items] = glossary_blocks(blocks)
    assert heading == Heading("Glossary")
    terms = [item.split(":")[0] for item in items.items]
    assert terms == ["equilibrium", "degenerate", "continuum", "Pareto"]
    assert glossary_blocks([Para("Nothing technical here.")]) == []


def test_g1_handout_lists_its_questions_and_glossary():
    g1 = gt.load(GAMES / "deterrence.json")
    assert len(g1.questions) == 3
    handout = build_handout(g1, parameters=[], plot=False, explain=False)
    headings = [b.text for b in handout.blocks if isinstance(b, Heading)]
    assert "Questions for discussion" in headings and "Glossary" in headings
    questions = handout.blocks[_after(handout, "Questions for discussion")]
    assert isinstance(questions, Bullets) and questions.numbered and list(questions.items) == list(g1.questions)
    glossary = handout.blocks[_after(handout, "Glossary")]
    assert any(item.startswith("Pareto:") for item in glossary.items)  # "Pareto-efficient" is in its equilibrium facts


def _after(handout, heading: str) -> int:
    return next(k for k, b in enumerate(handout.blocks) if isinstance(b, Heading) and b.text == heading) + 1
