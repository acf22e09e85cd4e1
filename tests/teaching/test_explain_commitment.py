"""The commitment section of ``explain``: one sentence per player as leader, and the who-gains table."""

from gametheory.report.document import Bullets, Table
from gametheory.teaching.explain import explain
from tests.support import g1_defaults, prisoners_dilemma


def test_g1_sentences_say_who_gains_by_moving_first():
    result = explain(g1_defaults(), parts=["commitment"])
    [sentences] = [b for b in result.commitment if isinstance(b, Bullets)]
    us = sentences.items[2]
    # Backstop committed 5 times in 8 (Russia then just prefers to accept: -3 >= 10 - 6 - 2 - 8q): Europe
    # deploys, Russia accepts, US -5/8 (each unit of q costs m_us - c_us = -1), against -3 in its best Nash.
    assert us.startswith("If US could promise in advance to play backstop with probability 5/8")
    assert "US would get -0.625" in us and "worth 2.375 to US" in us
    assert "committing gains nothing" in sentences.items[1]  # Russia already gets its best outcome, 4
    [table] = [b for b in result.commitment if isinstance(b, Table)]
    assert [row[0] for row in table.rows] == ["Europe", "Russia", "US"]
    assert [row[-1] for row in table.rows] == ["0", "0", "2.375"]


def test_prisoners_dilemma_commitment_cannot_escape_defection():
    # Defection strictly dominates: whatever the leader promises, the follower defects; the leader's
    # best commitment is to defect too (1), which is also the Nash payoff.
    result = explain(prisoners_dilemma(), parts=["commitment"])
    [table] = [b for b in result.commitment if isinstance(b, Table)]
    assert [row[2] for row in table.rows] == ["1", "1"] and [row[-1] for row in table.rows] == ["0", "0"]
    assert any(b.text.startswith("Commitment") for b in result.blocks(parts=["commitment"]) if hasattr(b, "level"))
