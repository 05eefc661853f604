"""Session-state keys; the filter keys double as URL query parameter names (SPEC §8)."""

FILTERS = "filters"  # the Filters the entry script computed for this run
AGENCY = "agency"
AS_OF = "as_of"
SINCE = "since"
DAYS = "days"
OFFICE = "office_signed_in"
PREVIEW = "import_preview"
