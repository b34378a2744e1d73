"""The typed plug points an outside integration sets (the moto bridge sets all five).

Who may call, which account an access key is in, who answers when no handle is active,
where an event stream's records go besides the handle, and where a file the service
exports (a segment snapshot) is written. Each ``set_*`` returns what was there, so a
caller can restore it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from customer_profiles_mock.wire.http import HttpRequest

# Checks a request's caller before its operation runs, raising a ServiceError to refuse
# it: (request, operation, params, account_id, region).
Authorizer = Callable[[HttpRequest, str, dict[str, Any], str, str], None]
# The account of the access key a request was signed with, None when unknown.
KeyAccount = Callable[[Mapping[str, Any]], "str | None"]
# The service (a ``service.Service``) that answers a request to this URL when no handle
# is active, None for none. Typed loosely here: the service sits above this layer.
Fallback = Callable[[str], Any]
# Writes a file the service exports to S3: (account_id, region, bucket, key, body) ->
# None when written (or when there is nowhere to write it), else why it failed.
ObjectWriter = Callable[[str, str, str, str, bytes], "str | None"]
# Puts one event stream record into the Kinesis data stream an outside integration
# emulates: (stream ARN, partition key, data) -> None when it took the record or emulates
# no Kinesis now, else the error the stream answered (its destination becomes UNHEALTHY).
StreamSink = Callable[[str, str, bytes], "str | None"]


class Hooks:
    """The hooks in force; read by the pipeline (``authorizer``), account resolution
    (``key_account``), the transports (``fallback``) and the event streams
    (``stream_sink``)."""

    __slots__ = ("authorizer", "fallback", "key_account", "object_writer", "stream_sink")

    def __init__(self) -> None:
        self.authorizer: Authorizer | None = None
        self.key_account: KeyAccount | None = None
        self.fallback: Fallback | None = None
        self.object_writer: ObjectWriter | None = None
        self.stream_sink: StreamSink | None = None


hooks = Hooks()


def set_authorizer(authorizer: Authorizer | None) -> Authorizer | None:
    previous, hooks.authorizer = hooks.authorizer, authorizer
    return previous


def set_key_account(key_account: KeyAccount | None) -> KeyAccount | None:
    previous, hooks.key_account = hooks.key_account, key_account
    return previous


def set_fallback(fallback: Fallback | None) -> Fallback | None:
    previous, hooks.fallback = hooks.fallback, fallback
    return previous


def set_object_writer(writer: ObjectWriter | None) -> ObjectWriter | None:
    previous, hooks.object_writer = hooks.object_writer, writer
    return previous


def set_stream_sink(sink: StreamSink | None) -> StreamSink | None:
    previous, hooks.stream_sink = hooks.stream_sink, sink
    return previous
