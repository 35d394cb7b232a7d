"""The storefront JSON API (django-ninja) for apps and mini-programs: one NinjaAPI that
mounts each shop app's router. OpenAPI at /api/openapi.json, docs at /api/docs."""

from ninja import NinjaAPI

api = NinjaAPI(title="Haowu storefront API", version="1.0", urls_namespace="api")
