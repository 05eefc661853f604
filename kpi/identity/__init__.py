"""Which dataset is which across snapshots: name normalisation and the office's pairings."""
