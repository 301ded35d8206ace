"""Step 3, the shortlist: criteria, the members' scores, their aggregate and the charts, and
the shortlist that goes to the vote.

Rules: :mod:`.scoring_rules`, :mod:`.shortlist_rules`, :mod:`.score_chart`. Importer:
:mod:`.score_sheet`. Services: :mod:`.scoring`, :mod:`.shortlist`.
"""
