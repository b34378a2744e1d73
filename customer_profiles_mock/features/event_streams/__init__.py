"""Event streams: a domain's change records subscribed to a Kinesis data stream."""
