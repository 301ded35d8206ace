"""Step 6, the action tracker: actions against the agreed priorities, their updates, status
and RAG.

Rules: :mod:`.tracker_rules`. Importer: :mod:`.action_list`. Services: :mod:`.tracker`, and
:mod:`.carry_over`, which carries a list and its unfinished actions into the next cycle.
"""
