"""moto's Kinesis data streams receive the event streams' records (the ``StreamSink`` hook).

A record goes into the stream the event stream's ``Uri`` names, in moto's Kinesis backend
of that ARN's account and Region, as a ``PutRecord`` would put it: a consumer reads it
with ``get_shard_iterator`` / ``get_records`` from any client under ``mock_aws``. moto's
response layer hands its backend the record's data base64-encoded up to moto 5.1 and as
bytes from moto 5.2 (its automated parameter parsing); the data is stored the same way.
"""

from __future__ import annotations

import base64
import functools

from moto.kinesis.exceptions import StreamNotFoundError
from moto.kinesis.models import kinesis_backends
from moto.kinesis.responses import KinesisResponse


@functools.cache
def _stores_bytes() -> bool:
    """Whether this moto's Kinesis backend takes a record's data as bytes (moto 5.2 on)
    rather than as the base64 text of the request."""
    return bool(getattr(KinesisResponse(), "automated_parameter_parsing", False))


def put_record(stream_arn: str, partition_key: str, data: bytes) -> str | None:
    """Put ``data`` into the Kinesis stream ``stream_arn``; the error Kinesis answers
    when the stream does not exist (``Stream NAME under account ACCOUNT not found.``)."""
    # arn:PARTITION:kinesis:REGION:ACCOUNT:stream/NAME, as CreateEventStream checked it.
    _, _, _, region, account_id, resource = stream_arn.split(":", 5)
    try:
        backend = kinesis_backends[account_id][region]
    except KeyError:  # a Region moto's Kinesis does not know: no stream can be there
        return str(StreamNotFoundError(resource.partition("/")[2], account_id).message)
    payload: bytes | str = data if _stores_bytes() else base64.b64encode(data).decode()
    try:
        backend.put_record(stream_arn, None, partition_key, None, payload)  # type: ignore[arg-type]
    except StreamNotFoundError as exc:
        return str(exc.message)
    return None
