"""The conversation engine and the steps any flow can use; no feature lives here.

A flow is data: reusable steps (`steps`, `media`, `dates`, `summary`, `ipal`) wired by name in
the feature's own package under `handlers/`. A flow is entered at the first step that still
needs an answer (`base.begin_at`), so a member of one IPAL never sees the IPAL question.
"""
