"""Step 5, the agreed list: the priorities the practices voted for, in order, linked to the
candidates they came from.

Rules: :mod:`.priority_rules`. Importer: :mod:`.priority_list`. Services: :mod:`.priority`.
"""
