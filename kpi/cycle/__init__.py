"""The committee's meeting cycle: its calendar, materials sent before each meeting, notices to
agencies and the resolutions it keeps under review (issue 27)."""
