"""A crawl over the demo as `make run` serves it (issue 9's "the crawl over make run finds 0
errors"): from the home page and the workspace, every link on the site is followed (its own
pages, data twins and downloads), as the public and as signed-in people, and every answer must
be a success: no broken link, no 403 behind a link the page offered, no 500.

The demo has thousands of pages of a few hundred kinds (one per area, indicator, ward ...), so
the crawl opens at most ``PER_KIND`` pages of each kind: a URL's kind is its path with numbers
and area codes replaced, and the names of its query parameters."""

from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

import pytest

from healthgap.constants import Role

pytestmark = pytest.mark.browser

PER_KIND = 2
MOST_PAGES = 600  # a bound, so that a link generator gone wrong cannot run the crawl forever
PEOPLE = [
    ("crawl.analyst", "Carys Analyst", (Role.ANALYST,)),
    ("crawl.member", "Mo Member", (Role.BOARD_MEMBER,)),
]
# Django's admin is a site of its own (and needs a second factor); sign-out is a form.
NOT_CRAWLED = ("/admin/",)
AREA_CODE = re.compile(r"[EW]\d{8}")
NUMBER = re.compile(r"\d+")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_in(html: str, page_url: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return [urldefrag(urljoin(page_url, href)).url for href in parser.hrefs]


def kind_of(url: str) -> str:
    parts = urlsplit(url)
    path = NUMBER.sub("{n}", AREA_CODE.sub("{area}", parts.path))
    names = sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{path}?{'&'.join(names)}" if names else path


def crawl(page, base: str, start: str) -> tuple[list[str], list[tuple[int, str, str]]]:
    """The URLs opened, and (status, url, the page that linked it) for each failure."""
    host = urlsplit(base).netloc
    queue, seen, kinds = deque([(base + start, "(start)")]), {base + start}, Counter()
    opened, failures = [], []
    while queue and len(opened) < MOST_PAGES:
        url, linked_from = queue.popleft()
        response = page.request.get(url, timeout=60_000)
        opened.append(url)
        if response.status >= 400:
            failures.append((response.status, url, linked_from))
            continue
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        for link in links_in(response.text(), url):
            parts = urlsplit(link)
            if parts.scheme not in ("http", "https") or parts.netloc != host or link in seen:
                continue
            if parts.path.startswith(NOT_CRAWLED):
                continue
            seen.add(link)
            kinds[kind_of(link)] += 1
            if kinds[kind_of(link)] <= PER_KIND:
                queue.append((link, url))
    return opened, failures


def test_the_kind_of_a_url_ignores_codes_numbers_and_values():
    assert kind_of("http://h/areas/E08000026/compare?indicator=93721&sex=Persons") == (
        "/areas/{area}/compare?indicator&sex"
    )
    assert kind_of("http://h/workspace/programmes/12/edit") == "/workspace/programmes/{n}/edit"
    assert links_in('<a href="/x#top">x</a><a href="y.csv">y</a>', "http://h/a/b") == [
        "http://h/x",
        "http://h/a/y.csv",
    ]


def test_the_public_site_has_no_broken_link(served_app, page):
    opened, failures = crawl(page, served_app, "/")
    assert failures == []
    assert len(opened) > 100, "the crawl stopped early: too few links followed"


@pytest.mark.parametrize("username", [username for username, _, _ in PEOPLE])
def test_the_workspace_has_no_broken_link(served_app, people, username):
    page = people[username]()
    opened, failures = crawl(page, served_app, "/workspace/")
    assert failures == []
    assert any("/workspace/" in url for url in opened[1:]), "no workspace page was crawled"
    page.context.close()
