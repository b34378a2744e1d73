"""moto's IAM for customer-profiles, under moto's access control.

SigV4 and policy checks are answered as the service's own JSON errors (not moto's XML)."""

from __future__ import annotations

import inspect
from typing import Any

from moto import settings
from moto.core import ActionAuthenticatorMixin  # type: ignore[attr-defined]
from moto.core.exceptions import (
    AccessDeniedError,
    AuthFailureError,
    InvalidClientTokenIdError,
    SignatureDoesNotMatchError,
)
from moto.iam.access_control import IAMRequest
from moto.iam.models import iam_backends

from customer_profiles_mock.wire.arns import domain_arn
from customer_profiles_mock.wire.errors import ServiceError
from customer_profiles_mock.wire.http import HttpRequest, header

_TAKES_ACTION = "action" in inspect.signature(IAMRequest.__init__).parameters  # moto >= 5.0.x


class AccessDeniedException(ServiceError):
    code = "AccessDeniedException"


class UnrecognizedClientException(ServiceError):
    code = "UnrecognizedClientException"
    status = 403


class InvalidSignatureException(ServiceError):
    code = "InvalidSignatureException"
    status = 403


class MissingAuthenticationTokenException(ServiceError):
    code = "MissingAuthenticationTokenException"
    status = 403


class _ProfileIAMRequest(IAMRequest):
    """moto's IAM request, with the action given (moto 5.0.0 reads it from the request)."""

    def __init__(self, operation: str, **kwargs: Any) -> None:
        self._operation = operation
        if _TAKES_ACTION:
            kwargs["action"] = operation
        super().__init__(**kwargs)

    def _action_from_request(self) -> str:
        return self._operation


def authorize(
    request: HttpRequest, operation: str, params: dict[str, Any], account_id: str, region: str
) -> None:
    """Refuse the request as AWS would when moto's access control is on and the caller
    may not call ``profile:<operation>`` on its resource."""
    if ActionAuthenticatorMixin.request_count < settings.INITIAL_NO_AUTH_ACTION_COUNT:
        ActionAuthenticatorMixin.request_count += 1
        return
    headers = {
        k: v.decode("latin-1") if isinstance(v, bytes) else v for k, v in request.headers.items()
    }
    if header(headers, "Host") is None:
        headers["Host"] = request.host  # SigV4 signs it
    if header(headers, "Authorization") is None:
        raise MissingAuthenticationTokenException("Missing Authentication Token")
    resource = _resource(params, account_id, region)
    path = request.path + (f"?{request.query}" if request.query else "")
    try:
        checked = _ProfileIAMRequest(
            operation,
            account_id=account_id,
            method=request.method,
            path=path,
            data={},
            body=request.body,
            headers=headers,
        )
        checked.check_signature()
        checked.check_action_permitted(resource)
    except AccessDeniedError:
        user = getattr(checked._access_key, "arn", "anonymous")
        on = f" on resource: {resource}" if resource != "*" else ""
        raise AccessDeniedException(
            f"User: {user} is not authorized to perform: profile:{operation}{on}"
        ) from None
    except (InvalidClientTokenIdError, AuthFailureError):
        raise UnrecognizedClientException(
            "The security token included in the request is invalid."
        ) from None
    except SignatureDoesNotMatchError:
        raise InvalidSignatureException(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details."
        ) from None


def _resource(params: dict[str, Any], account_id: str, region: str) -> str:
    """The ARN IAM checks: the tagged resource, else the domain, else ``*``."""
    arn = params.get("resourceArn")
    if isinstance(arn, str):
        return arn
    domain = params.get("DomainName")
    if isinstance(domain, str):
        return domain_arn(region, account_id, domain)
    return "*"


def key_account(access_key: str) -> str | None:
    """The account of an access key moto's IAM knows (users' keys, assumed roles)."""
    for account_id, account in list(iam_backends.items()):
        for backend in list(dict.values(account)):  # only the partitions made so far
            if access_key in backend.access_keys:
                return str(account_id)
    return None
