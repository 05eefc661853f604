"""Session-state keys; the filter keys double as URL query parameter names (SPEC §8)."""

FILTERS = "filters"  # the Filters the entry script computed for this run
AGENCY = "agency"
AGENCY_MODE = "agency_mode"  # 勞動部及所屬 (the group) or 指定機關 (the agencies in AGENCY)
AS_OF = "as_of"
SINCE = "since"
SINCE_CHOSEN = "since_chosen"  # a comparison date from the URL or the sidebar (else: the previous meeting's)
DAYS = "days"
YEAR = "period_year"  # 年度 (民國 year); not "year", which the plan page's links already use
OFFICE = "office_signed_in"
PREVIEW = "import_preview"
