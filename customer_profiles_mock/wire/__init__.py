"""The botocore model as a protocol: routing, codec, validation, errors, paging, ARNs."""
