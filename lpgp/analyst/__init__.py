"""The analyst's DataFrames, one module per step of the cycle; ``import lpgp`` re-exports every
function (``lpgp.practices()``, ``lpgp.actions()``...), importing a module only when one of its
functions is first used.

- :mod:`.board`: places, practices, people, the board, cycles (step 1)
- :mod:`.shortlist`: candidates, criteria, scores and their aggregate (steps 2 and 3)
- :mod:`.vote`: votes, turnout, results and ballots (step 4)
- :mod:`.delivery`: the agreed list, actions, asks, meetings, decisions, agendas (steps 5-7)
- :mod:`.list_sizes`: practices' list sizes as each refresh or import recorded them
- :mod:`.national`: the monthly refresh from the national files, as a diff (step 1)
- :mod:`.exports`: the files a board sends out, written to disk (step 8)

Every frame function reads and never writes (``national_refresh(apply=True)`` and the exports
are the ones that write, and say so); its frame has the same columns and dtypes whether it
holds rows or none (the dtypes are described in :mod:`._frames`).
"""
