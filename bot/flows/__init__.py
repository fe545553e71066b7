"""The KSM members' conversations: monthly report, problem report, desludging request.

Each flow is data: reusable steps (`steps`, `media`, `summary`, `ipal`) wired by name. A flow
is entered at the first step that still needs an answer (`base.begin_at`), so a member of one
IPAL never sees the IPAL question and the month is asked only when it is in doubt.
"""
