"""The dashboard's pages, one record each: title, script, URL slug, icon and who sees it.

Read by the Streamlit router (pages/ui/router.py), the URL code (pages/ui/url.py: a page's own
URL parameters are keyed by its slug), the tests and the benchmark; it lives in kpi/ (no
Streamlit) so engine code can name pages too (e.g. figures computed per page at publish time).
Adding a page is adding a record here; a test fails when a page script has none.
"""

from __future__ import annotations

from dataclasses import dataclass

EVERYONE = "everyone"  # in every menu
OFFICE = "office"  # the office's page: registered for everyone (its link works), in the office's menu


@dataclass(frozen=True)
class Page:
    title: str  # the menu entry (zh-TW)
    name: str  # the script is pages/<name>.py
    icon: str  # a Streamlit material icon's name
    default: bool = False  # the page at the root URL (its slug is "")
    role: str = EVERYONE
    viewer_title: str | None = None  # an office page viewers do see, under this title (sign-in)
    viewer_icon: str | None = None

    @property
    def script(self) -> str:
        return f"pages/{self.name}.py"

    @property
    def slug(self) -> str:
        """The URL path ("" for the default page at the root)."""
        return "" if self.default else self.name

    def title_for(self, office: bool) -> str:
        return self.title if office or self.viewer_title is None else self.viewer_title

    def icon_for(self, office: bool) -> str:
        return f":material/{self.icon if office or self.viewer_icon is None else self.viewer_icon}:"

    def in_menu(self, office: bool) -> bool:
        return office or self.role == EVERYONE or self.viewer_title is not None


PAGES: tuple[Page, ...] = (  # menu order; script pages/<slug>.py, icon :material/<icon>:
    Page("總覽", "overview", icon="dashboard", default=True),
    Page("機關成績單", "scorecard", icon="assignment_ind"),
    Page("使用量與排行", "usage", icon="trending_up"),
    Page("民眾意見", "feedback", icon="forum"),
    Page("行動方案績效", "plan", icon="flag"),
    Page("資料品質與標章", "quality", icon="verified"),
    Page("民眾使用分析", "public_use", icon="insights"),
    Page("全國比較", "national", icon="public"),
    Page("比對確認", "matches", icon="compare_arrows", role=OFFICE),
    Page("計算說明", "notes", icon="menu_book"),
    Page("資料匯入", "imports", icon="upload_file", role=OFFICE, viewer_title="資訊處登入", viewer_icon="login"),
)
BY_SLUG = {p.slug: p for p in PAGES}
BY_SCRIPT = {p.script: p for p in PAGES}
VIEWER_PAGES = tuple(p for p in PAGES if p.role == EVERYONE)  # what anyone can read without signing in


def page(slug: str) -> Page:
    return BY_SLUG[slug]
