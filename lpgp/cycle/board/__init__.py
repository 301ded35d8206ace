"""Step 1, the board: a place, its practices and PCNs, the people on the board, member codes,
and the monthly refresh from the national files.

Rules: :mod:`.person_rules`, :mod:`.practice_rules`, :mod:`.national_rules` (the refresh's
plan). Importers: :mod:`.practice_list`, :mod:`.people_list`, :mod:`.national_files`.
Services: :mod:`.place`, :mod:`.practice`, :mod:`.person`, :mod:`.member_code`,
:mod:`.national`.
"""
