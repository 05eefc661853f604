"""勞動部開放資料績效儀表板 — entry point: the menu and shared filters, then the chosen page."""

import time

from kpi.ops import timing
from pages.ui.entry import frame
from pages.ui.router import entered

started = time.perf_counter()
page, _ = frame()
try:
    with entered():
        page.run()
finally:  # also when a page calls st.stop()
    timing.record(page.title, time.perf_counter() - started)
