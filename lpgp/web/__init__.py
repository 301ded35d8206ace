"""The web side of ``lpgp serve``: sign-in, sessions, the light pages for the crowd, and the
wiring that puts them in front of Voilà's facilitator pages in one server process."""

import sys

# jsonschema checks the "iri" formats with rfc3987-syntax whenever that is installed (it comes
# with jupyter-events' extras), and importing it compiles a grammar: about 1.5 s of every
# server start, for a check nothing lpgp serves uses. The web server does without it: None in
# sys.modules makes importing a module fail, which typeshed's modules-only values cannot say.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
