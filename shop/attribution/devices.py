"""A device class from the User-Agent header: enough to split reports, no more."""

import functools
import re

from shop.attribution.models import DeviceClass

_TABLET = re.compile(r"ipad|tablet|kindle|silk/|playbook|nexus (7|9|10)|sm-t\d|(android(?!.*mobile))", re.I)
_MOBILE = re.compile(r"mobi|iphone|ipod|android|windows phone|blackberry|bb10|opera mini|iemobile|harmonyos", re.I)
_DESKTOP = re.compile(r"windows nt|macintosh|mac os x|x11|linux|cros", re.I)


@functools.lru_cache(maxsize=1024)
def device_class(user_agent: str) -> str:
    """``mobile``, ``tablet``, ``desktop`` or ``other`` (unknown or missing header).
    Tablets are tested first: Android tablets say "Android" without "Mobile"."""
    ua = user_agent or ""
    if _TABLET.search(ua):
        return DeviceClass.TABLET
    if _MOBILE.search(ua):
        return DeviceClass.MOBILE
    if _DESKTOP.search(ua):
        return DeviceClass.DESKTOP
    return DeviceClass.OTHER
