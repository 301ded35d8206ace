"""The eight steps a board walks each year, one package per step, in the cycle's order.

1. :mod:`~lpgp.cycle.board`: the place, its practices and PCNs, the board, member codes and
   the national files;
2. :mod:`~lpgp.cycle.candidates`: candidate priorities and the drafting checks;
3. :mod:`~lpgp.cycle.shortlist`: criteria, scores, their aggregate and the shortlist;
4. :mod:`~lpgp.cycle.vote`: votes, the electorate, casting, the count and the recount;
5. :mod:`~lpgp.cycle.agreed`: the agreed list;
6. :mod:`~lpgp.cycle.actions`: the action tracker, and carrying unfinished work over;
7. :mod:`~lpgp.cycle.agendas`: the place-based board's meetings, agendas and the 80% rule,
   and the asks put to it;
8. :mod:`~lpgp.cycle.exports`: the summary, action log, agenda packs, invites and letters.

A step imports only the steps before it (pyproject's import contracts check it). Each holds
``*_rules`` modules (value types and pure functions of plain data), importers (a file to those
types, named for the file: ``practice_list``, ``score_sheet``), and services (named for the
concept, a SQLAlchemy ``Session`` first: the only modules that import :mod:`lpgp.store`).
:mod:`.progress` and :mod:`.progress_rules` say where a place stands across the eight.

The package imports nothing itself, so importing one step does not load the others.
"""
