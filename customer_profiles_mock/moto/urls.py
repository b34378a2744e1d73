"""moto's URL module for customer-profiles: every path on ``profile.REGION.amazonaws.com``."""

from __future__ import annotations

from customer_profiles_mock.moto import URL_BASE
from customer_profiles_mock.moto.responses import serve_request

url_bases = [URL_BASE]

# A named group: moto server builds Flask routes from these, and on moto 5.0 a pattern
# without one gives a Flask 404.
url_paths = {"{0}/(?P<route>.*)$": serve_request}
