"""Rendition specs shared by templates and structured data, so both use one rendition."""

CARD_SPEC = "fill-720x720"
HERO_SPEC = "fill-1600x900"
