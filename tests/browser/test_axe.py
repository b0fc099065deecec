"""The accessibility checker the browser tests use: axe-core in the real Chromium."""

import pytest

pytestmark = pytest.mark.browser

# A strict policy like the project's pages: no inline scripts, nothing from elsewhere.
CSP = "default-src 'self'; script-src 'self'"
GIF = "data:image/gif;base64,R0lGODlhAQABAAAAACw="


def page_html(lang: str, alt: str) -> str:
    return (
        f'<!doctype html><html{lang}><head><meta http-equiv="Content-Security-Policy" '
        f'content="{CSP}"><title>Toets</title></head><body><main><h1>Toets</h1>'
        f'<img src="{GIF}"{alt}></main></body></html>'
    )


def test_axe_finds_what_is_wrong_and_passes_what_is_fixed(open_page, axe):
    """On a page with a strict Content-Security-Policy, does axe report an image without
    alternative text and a page without a language, and nothing once both are fixed?"""
    page, recorder = open_page()
    page.set_content(page_html(lang="", alt=""))
    found = {violation["id"] for violation in axe(page)}
    assert {"image-alt", "html-has-lang"} <= found, found
    page.set_content(page_html(lang=' lang="nl"', alt=' alt="Logo"'))
    assert axe(page) == []
    assert recorder.blocked == []
