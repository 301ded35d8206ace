"""Step 7, the place-based board: its meetings, agendas built to the 80% rule, decisions and
minutes, and the asks the leadership board puts to it, each with the log of what the
place-based board did at which meeting.

Rules: :mod:`.meeting_rules`, :mod:`.agenda_rules`, :mod:`.ask_rules`. Importer:
:mod:`.agenda_list`. Services: :mod:`.meeting`, :mod:`.agenda_service`, :mod:`.ask`.
"""
