"""Step 4, the vote: its settings and state, the electorate frozen when it opens, casting a
ballot, the sealed box, the count and the recount.

Rules: :mod:`.vote_rules`, :mod:`.electorate_rules`, :mod:`.ballot_rules`,
:mod:`.recount_rules` (the counting engine itself is :mod:`lpgp.voting`). Importers:
:mod:`.vote_candidates`, :mod:`.ballot_file`. Services: :mod:`.vote`, :mod:`.electorate`,
:mod:`.ballot`, :mod:`.ballot_box`, :mod:`.recount`.
"""
