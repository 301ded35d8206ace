"""Step 2, candidates: the priorities a board might choose, and the checks on how each is
drafted.

Rules: :mod:`.candidate_rules`, :mod:`.drafting`. Services: :mod:`.candidate`.
"""
