"""Highlight fragments reach the page as text with <mark> tags and nothing else, whatever
the server sends."""

import pytest

from search.selectors import _safe_fragment


@pytest.mark.parametrize(("sent", "shown"), [
    ("a <mark>towel</mark> rail", "a <mark>towel</mark> rail"),
    # the server escaped the text (encoder: html): it stays escaped, once
    ("&lt;img src=x onerror=alert(1)&gt; <mark>Towel</mark>", "&lt;img src=x onerror=alert(1)&gt; <mark>Towel</mark>"),
    # anything a server should never send is made text
    ("<script>alert(1)</script><mark>a</mark>", "&lt;script&gt;alert(1)&lt;/script&gt;<mark>a</mark>"),
    ('<mark onclick="x">a</mark>', "&lt;mark onclick=&quot;x&quot;&gt;a"),
    ("<mark>open", "<mark>open</mark>"),
    ("stray</mark> end", "stray end"),
    ("Tom &amp; Jerry", "Tom &amp; Jerry"),
])
def test_only_balanced_mark_tags_survive(sent, shown):
    assert _safe_fragment(sent) == shown
