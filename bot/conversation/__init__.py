"""The conversation engine and the steps any flow can use; no feature lives here.

A flow is data: reusable steps (`steps`, `media`, `dates`, `summary`, `ipal`) wired by name in
the feature's own package under `handlers/`. A flow is entered at the first step that still
needs an answer (`base.begin_at`), so a member of one IPAL never sees the IPAL question.
A feature lists its flows in its `feature()`; each is checked when the bot is composed
(`engine.register_flow`: its first step exists, a summary has its edit step, and every step
it declares a step may lead to exists), and only a registered flow can be started.
"""
