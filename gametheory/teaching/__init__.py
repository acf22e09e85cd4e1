"""Documents for people: a seminar handout (:mod:`.handout`) and the step-by-step explanation of a solution (:mod:`.explain`).

Both compose results computed below them (the analysis, thresholds, sweeps,
dominance and backward induction) into document blocks and leave the
rendering to :mod:`gametheory.report`.
"""
