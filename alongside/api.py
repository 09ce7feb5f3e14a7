"""The JSON API (django-ninja). OpenAPI at /api/openapi.json; modules add routers here."""

from ninja import NinjaAPI, Schema

api = NinjaAPI(title="Alongside API", version="0.1.0", docs_url=None)


class Health(Schema):
    status: str


@api.get("/health", response=Health, summary="Is the API up?")
def health(request) -> dict[str, str]:  # noqa: ANN001
    return {"status": "ok"}
