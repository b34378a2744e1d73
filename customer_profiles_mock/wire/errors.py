"""The service errors the mock answers with on the wire (never raised at test authors)."""

from __future__ import annotations

from xml.sax.saxutils import escape


class ServiceError(Exception):
    """An error the service answers with; ``code`` is the model's error shape name.

    The HTTP status is not stored here: the wire layer takes it from the error shape in
    the botocore model, so it can never disagree with the model. Users see these only as
    botocore's ``ClientError``.
    """

    code = "InternalServerException"
    # Only for the errors the model does not declare (AWS's common errors, such as
    # ``UnrecognizedClientException``): their HTTP status.
    status: int | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequestException(ServiceError):
    code = "BadRequestException"


class ResourceNotFoundException(ServiceError):
    code = "ResourceNotFoundException"


def domain_not_found_message(name: object) -> str:
    """What the service says of a domain that does not exist [INFERRED]."""
    return f"Domain {name} does not exist"


def s3_error(
    status: int, code: str, message: str, request_id: str
) -> tuple[int, dict[str, str], bytes]:
    """An error as S3 answers it (an XML ``Error`` document), for the buckets the mock owns
    (an upload job's pre-signed URL)."""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
        f"<RequestId>{escape(request_id)}</RequestId></Error>"
    ).encode()
    headers = {"Content-Type": "application/xml", "x-amz-request-id": request_id}
    return status, headers, body
