"""The web side of ``lpgp serve``: sign-in, sessions, the light pages for the crowd, and the
wiring that puts them in front of Voilà's facilitator pages in one server process."""
