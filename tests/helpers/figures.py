"""Hand-worked figures of the embedded default that more than one layer asserts (worked out in
tests/engine/test_year_opendata.py's docstring)."""

# ROC year 107 on the snapshots 2017-10-30 and 2018-07-20
TEXT_107 = ("涵蓋 106/10/30–107/07/20，缺 7/21–12/31（164 天），多含年度前 106/10/30–106/12/31（63 天）"
            "；全年 365 天中涵蓋 201 天")
