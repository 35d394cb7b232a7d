"""Requests that are not a reader's click: crawlers and the browser's own prefetching.
They are still redirected, but never recorded."""

import functools
import re

_BOTS = re.compile(
    r"bot\b|bot/|robot|crawl|spider|slurp|facebookexternalhit|facebot|baiduspider|yandex|bingpreview"
    r"|headless|phantomjs|lighthouse|pingdom|uptime|python-requests|python-urllib|curl/|wget/|go-http-client"
    r"|httpclient|okhttp|scrapy|embedly|whatsapp|telegrambot|slackbot|discordbot|twitterbot|linkedinbot"
    r"|applebot|petalbot|bytespider|semrush|ahrefs|mj12bot|dotbot|preview",
    re.I,
)


@functools.lru_cache(maxsize=1024)
def is_bot(user_agent: str) -> bool:
    """Cached per User-Agent: a few browsers send most requests, and the pattern is long."""
    return bool(user_agent) and _BOTS.search(user_agent) is not None


def is_prefetch(request) -> bool:
    """Link prefetching and prerendering announce themselves in one of these headers."""
    headers = request.headers
    purpose = f"{headers.get('Purpose', '')} {headers.get('Sec-Purpose', '')} {headers.get('X-Purpose', '')}".lower()
    return (
        "prefetch" in purpose
        or "prerender" in purpose
        or "preview" in purpose
        or headers.get("X-Moz", "").lower() == "prefetch"
    )


def is_noise(request) -> bool:
    return is_bot(request.headers.get("User-Agent", "")) or is_prefetch(request)
