"""Who may do what: signing in (board members, practice managers, the chair) and working in
several places.

Used by the light pages (:mod:`lpgp.web`) and the screens (:mod:`lpgp.ui`) alike, above the
cycle's steps because a sign-in reaches the board (member codes) and the vote (ballots).
Rules: :mod:`.place_access_rules`. Services: :mod:`.signin`, :mod:`.place_access`.
"""
