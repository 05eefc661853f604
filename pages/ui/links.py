"""Links to an agency's scorecard (機關成績單) from anywhere an agency is named.

A relative URL, so it works under any base path; it carries the view (dates, day count) so the
scorecard opens on the same data the reader was looking at (SPEC §8).
"""

from __future__ import annotations

from urllib.parse import urlencode

from kpi.metrics.scope import Scope
from kpi.reference.agencies import resolve, short_name
from pages.ui import keys
from pages.ui.filters import NO_SINCE_URL

SCORECARD_PATH = "scorecard"


def scorecard_url(agency: str, scope: Scope | None = None, days: str | None = None) -> str:
    """``scorecard?agency=勞保局&as_of=…`` for st.column_config.LinkColumn or a Markdown link."""
    params: list[tuple[str, str]] = [(keys.AGENCY, short_name(resolve(agency) or agency))]
    if scope is not None:
        params.append((keys.AS_OF, scope.as_of.isoformat()))
        params.append((keys.SINCE, scope.since.isoformat() if scope.since else NO_SINCE_URL))
    if days:
        params.append((keys.DAYS, days))
    return f"{SCORECARD_PATH}?{urlencode(params)}"


def scorecard_link(agency: str, scope: Scope | None = None, days: str | None = None) -> str:
    """A Markdown link whose text is the agency's short name (a fixed name, never data text)."""
    return f"[{short_name(resolve(agency) or agency)}]({scorecard_url(agency, scope, days)})"
