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
    title: str  # the menu entry and the page heading's source (zh-TW)
    script: str  # path from the repository root
    slug: str  # URL path; "" is the default page at the root
    icon: str  # Streamlit material icon
    role: str = EVERYONE
    viewer_title: str | None = None  # an office page viewers do see, under this title (sign-in)
    viewer_icon: str | None = None

    @property
    def default(self) -> bool:
        return self.slug == ""

    def title_for(self, office: bool) -> str:
        return self.title if office or self.viewer_title is None else self.viewer_title

    def icon_for(self, office: bool) -> str:
        return self.icon if office or self.viewer_icon is None else self.viewer_icon

    def in_menu(self, office: bool) -> bool:
        return office or self.role == EVERYONE or self.viewer_title is not None


PAGES: tuple[Page, ...] = (  # menu order
    Page("總覽", "pages/overview.py", "", ":material/dashboard:"),
    Page("機關成績單", "pages/scorecard.py", "scorecard", ":material/assignment_ind:"),
    Page("使用量與排行", "pages/usage.py", "usage", ":material/trending_up:"),
    Page("民眾意見", "pages/feedback.py", "feedback", ":material/forum:"),
    Page("行動方案績效", "pages/plan.py", "plan", ":material/flag:"),
    Page("資料品質與標章", "pages/quality.py", "quality", ":material/verified:"),
    Page("民眾使用分析", "pages/public_use.py", "public_use", ":material/insights:"),
    Page("全國比較", "pages/national.py", "national", ":material/public:"),
    Page("比對確認", "pages/matches.py", "matches", ":material/compare_arrows:", OFFICE),
    Page("計算說明", "pages/notes.py", "notes", ":material/menu_book:"),
    Page("資料匯入", "pages/imports.py", "imports", ":material/upload_file:", OFFICE,
         viewer_title="資訊處登入", viewer_icon=":material/login:"),
)
BY_SLUG = {p.slug: p for p in PAGES}
BY_SCRIPT = {p.script: p for p in PAGES}
VIEWER_PAGES = tuple(p for p in PAGES if p.role == EVERYONE)  # what anyone can read without signing in


def page(slug: str) -> Page:
    return BY_SLUG[slug]
