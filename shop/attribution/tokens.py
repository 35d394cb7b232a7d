"""Signed ``/go/<token>`` links: which article, block, position and SKU a buy link stands for.

The token is a ``Signer`` signature (no timestamp) over a compact JSON list, so the same
block always yields the same token: offer markup is cached by what it shows, the link
included. A token that was tampered with, truncated or signed elsewhere reads as ``None``.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

SALT = "haowu.go"
#: Longer than any token we sign (a UUID block id and a few numbers); refused unread.
MAX_TOKEN_LENGTH = 400
#: Verified tokens kept per process (a few hundred bytes each): far more than the links
#: that get clicked in any hour.
VERIFIED_TOKENS = 4096


@dataclass(frozen=True)
class LinkPayload:
    article_page_id: int
    block_id: str
    block_type: str
    position: int | None
    sku_id: int
    #: 1-based place of the offer inside a grid, comparison or shop-the-look block.
    item: int = 1


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def token_sign(payload: LinkPayload) -> str:
    data = [
        payload.article_page_id, payload.block_id, payload.block_type,
        payload.position, payload.sku_id, payload.item,
    ]
    return _signer().sign_object(data, compress=True)


def _is_int(value, *, optional: bool = False) -> bool:
    if value is None:
        return optional
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def token_read(token: str) -> LinkPayload | None:
    """The payload of a token we signed, or ``None`` for anything else (never raises)."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        return _verified(token, settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))
    except _Refused:
        return None


class _Refused(Exception):
    pass


@functools.lru_cache(maxsize=VERIFIED_TOKENS)
def _verified(token: str, key: str, fallback_keys: tuple) -> LinkPayload:
    """Check and decode one token, once per process: every click of a popular link
    carries the same token. Only tokens whose signature checked out are kept (a refusal
    raises, and ``lru_cache`` keeps no exceptions), keyed by the exact token and the keys
    that verified it, so a changed byte or a changed secret is checked afresh."""
    try:
        # The signature is checked before anything is decoded: only our own payloads
        # are ever decompressed or parsed.
        data = signing.Signer(key=key, fallback_keys=fallback_keys, salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError) as error:
        raise _Refused from error
    if not (isinstance(data, list) and len(data) == 6):
        raise _Refused
    article, block_id, block_type, position, sku_id, item = data
    if not (
        _is_int(article) and _is_int(sku_id) and _is_int(item) and _is_int(position, optional=True)
        and isinstance(block_id, str) and len(block_id) <= 64
        and isinstance(block_type, str) and len(block_type) <= 40
    ):
        raise _Refused
    return LinkPayload(article, block_id, block_type, position, sku_id, item)
