"""The analysis app (label `analysis`): one Django app in sub-domains of one shape.

`coding`, `deliberation`, `agreement`, `themes`, `supervision` and `exchange` each have
`models`, `services`, `selectors`, `apis`, `views` and `urls`; `models.py` here gathers
their models under the one app label, and `urls.py` their pages. `demo` holds the demo
study's invented content, apart from the domain code. docs/architecture.md has the
allowed imports.
"""
