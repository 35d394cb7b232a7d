"""The storefront API's error answers, shared by every router so the OpenAPI document
names one shape per kind of error (``haowu.api`` writes them; routers declare them).

Every error is ``{"message": "<sentence>"}``; most add a stable ``code`` apps can branch
on, validation errors add ``detail`` (pydantic's list of what was wrong where)."""

from ninja import Schema


class Error(Schema):
    """``{"message"}``; answers raised as errors also carry a ``code`` (``not_found``,
    ``out_of_stock``, …), which the document leaves open so old clients keep working."""

    message: str


class InvalidInput(Error):
    code: str
    #: Present when the body or parameters did not fit the schema: pydantic's errors.
    detail: list[dict] | None = None


class TooMany(Schema):
    """429: the client address used up a limit; ``Retry-After`` says how many seconds to wait."""

    message: str
    code: str


#: What every unsafe call with a body (POST, PATCH) may also answer: 400 when the body cannot
#: be read as JSON (another content type, malformed, absurdly nested), 403 when the CSRF
#: token is missing, wrong or sent from another site, 422 when the body or a parameter is
#: invalid.
UNSAFE_ERRORS = {400: Error, 403: Error, 422: InvalidInput}
