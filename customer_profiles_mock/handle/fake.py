"""Faker-backed generation of realistic, deterministic CreateProfile request bodies."""

from __future__ import annotations

import datetime
import difflib
import random
import unicodedata
from typing import TYPE_CHECKING, Any

from customer_profiles_mock import forksafe
from customer_profiles_mock.exceptions import InvalidArgumentError

if TYPE_CHECKING:
    from faker import Faker

__all__ = ["generate_profiles"]

_FAKERS: dict[str, Faker] = {}
# Country -> E.164 calling code (unknown countries fall back to +1 with a 555-01XX number).
_CALLING_CODES = {"US": "1", "CA": "1", "GB": "44", "DE": "49", "FR": "33", "ES": "34"}
_CALLING_CODES |= {"IT": "39", "JP": "81", "CN": "86", "BR": "55", "AU": "61", "IN": "91"}
# Faker provider methods for the first-level region, in preference order, and our key for it.
_REGION_METHODS: tuple[tuple[str, str], ...] = (
    ("state_abbr", "State"),
    ("province_abbr", "Province"),
    ("province", "Province"),
    ("state", "State"),
    ("administrative_unit", "State"),
)
_TIERS = ("Bronze", "Silver", "Gold", "Platinum")
_CHANNELS = ("email", "sms", "phone", "app")
_BIRTH_FIRST = datetime.date(1940, 1, 1).toordinal()
_BIRTH_LAST = datetime.date(2006, 12, 31).toordinal()


_LOCK = forksafe.lock()


def _faker(locale: str) -> Faker:
    """Return the cached Faker for `locale` (constructing one is comparatively slow)."""
    fake = _FAKERS.get(locale)
    if fake is None:
        import faker  # lazy: keeps `import customer_profiles_mock` cheap
        from faker.config import AVAILABLE_LOCALES

        if locale not in AVAILABLE_LOCALES:
            close = difflib.get_close_matches(str(locale), AVAILABLE_LOCALES, n=5, cutoff=0.5)
            close = close or [code for code in AVAILABLE_LOCALES if code.startswith("en_")]
            raise InvalidArgumentError(
                f"locale must be one of Faker's locales, got {locale!r}; close ones: "
                f"{', '.join(close)}"
            )
        fake = _FAKERS[locale] = faker.Faker(locale)
    return fake


_POOL_SIZE = 256
_POOLS: dict[str, _Pool] = {}


class _Pool:
    """Values Faker made once per locale (names, streets, cities, ...), which profiles
    are then drawn from with the call's own random generator: Faker's weighted sampling
    costs about 0.5 ms a profile, a draw from a list well under a microsecond."""

    def __init__(self, fake: Faker) -> None:
        self._fake = fake
        self._values: dict[str, list[str]] = {}
        self.country = _country(fake)
        self.region_method = next(
            ((method, key) for method, key in _REGION_METHODS if hasattr(fake, method)), None
        )

    def pick(self, rng: random.Random, method: str) -> str:
        values = self._values.get(method)
        if values is None:
            self._fake.seed_instance(f"customer-profiles-mock:{method}")
            make = getattr(self._fake, method)
            values = self._values[method] = [str(make()) for _ in range(_POOL_SIZE)]
        return values[int(rng.random() * _POOL_SIZE)]


def _pool(locale: str) -> _Pool:
    pool = _POOLS.get(locale)
    if pool is None:
        pool = _POOLS[locale] = _Pool(_faker(locale))
    return pool


def _put(target: dict[str, Any], key: str, value: object) -> None:
    """Set `key` to `value` as a 1..255 character string, or omit it when blank."""
    text = str(value).strip()[:255] if value is not None else ""
    if text:
        target[key] = text


def _country(fake: Faker) -> str:
    try:
        return str(fake.current_country_code())
    except AttributeError:
        return "US"


def _phone(rng: random.Random, country: str) -> str:
    """An E.164 number; US/CA numbers use the fictional 555-01XX exchange."""
    code = _CALLING_CODES.get(country, "1")
    if code == "1":
        return f"+1{rng.randint(201, 989)}5550{rng.randint(100, 199)}"
    return f"+{code}{rng.randint(1, 9)}{rng.randint(0, 10**8 - 1):08d}"


def _address(pool: _Pool, rng: random.Random) -> dict[str, Any]:
    address: dict[str, Any] = {}
    _put(address, "Address1", pool.pick(rng, "street_address"))
    _put(address, "City", pool.pick(rng, "city"))
    if pool.region_method is not None:
        method, key = pool.region_method
        _put(address, key, pool.pick(rng, method))
    _put(address, "Country", pool.country)
    _put(address, "PostalCode", pool.pick(rng, "postcode"))
    return address


def _email_user(pool: _Pool, rng: random.Random, first: str, last: str) -> str:
    """ASCII local part built from the person's name (Faker's user_name as fallback)."""
    parts = (unicodedata.normalize("NFKD", name).lower() for name in (first, last))
    words = ["".join(c for c in p if c.isascii() and c.isalnum()) for p in parts]
    user = ".".join(w for w in words if w)
    if not user:
        user = "".join(
            c for c in pool.pick(rng, "user_name").lower() if c.isascii() and c.isalnum()
        )
    return user[:40] or "user"


_FIRST_NAMES = {"MALE": "first_name_male", "FEMALE": "first_name_female"}


def _individual(pool: _Pool, rng: random.Random, index: int) -> dict[str, Any]:
    gender = rng.choices(("MALE", "FEMALE", "UNSPECIFIED"), weights=(48, 48, 4))[0]
    first = pool.pick(rng, _FIRST_NAMES.get(gender, "first_name"))
    profile: dict[str, Any] = {"PartyType": "INDIVIDUAL", "Gender": gender}
    _put(profile, "FirstName", first)
    if rng.random() < 0.3:
        _put(profile, "MiddleName", pool.pick(rng, "first_name"))
    last = pool.pick(rng, "last_name")
    _put(profile, "LastName", last)
    user = _email_user(pool, rng, first, last)
    profile["EmailAddress"] = f"{user}.{index}@{pool.pick(rng, 'free_email_domain')}"
    if rng.random() < 0.25:
        profile["PersonalEmailAddress"] = f"{user}_{index}@{pool.pick(rng, 'free_email_domain')}"
    phones = rng.choice(
        (("PhoneNumber",), ("MobilePhoneNumber",), ("PhoneNumber", "MobilePhoneNumber"))
    )
    for key in phones:
        profile[key] = _phone(rng, pool.country)
    birth = datetime.date.fromordinal(rng.randint(_BIRTH_FIRST, _BIRTH_LAST))
    profile["BirthDate"] = birth.isoformat()
    profile["AccountNumber"] = f"ACC-{rng.randint(0, 10**8 - 1):08d}"
    profile["Address"] = _address(pool, rng)
    if rng.random() < 0.3:
        profile["ShippingAddress"] = _address(pool, rng)
    if rng.random() < 0.2:
        profile["BillingAddress"] = _address(pool, rng)
    profile["Attributes"] = {
        "LoyaltyTier": rng.choice(_TIERS),
        "CustomerSince": str(rng.randint(2005, 2024)),
        "PreferredChannel": rng.choice(_CHANNELS),
    }
    return profile


def _business(pool: _Pool, rng: random.Random, index: int) -> dict[str, Any]:
    profile: dict[str, Any] = {"PartyType": "BUSINESS"}
    _put(profile, "BusinessName", pool.pick(rng, "company"))
    first, last = pool.pick(rng, "first_name"), pool.pick(rng, "last_name")
    _put(profile, "FirstName", first)
    _put(profile, "LastName", last)
    user = _email_user(pool, rng, first, last)
    profile["BusinessEmailAddress"] = f"{user}.{index}@{pool.pick(rng, 'domain_name')}"
    profile["BusinessPhoneNumber"] = _phone(rng, pool.country)
    profile["AccountNumber"] = f"ACC-{rng.randint(0, 10**8 - 1):08d}"
    profile["Address"] = _address(pool, rng)
    if rng.random() < 0.5:
        profile["BillingAddress"] = _address(pool, rng)
    profile["Attributes"] = {
        "AccountTier": rng.choice(("Standard", "Premium", "Enterprise")),
        "CustomerSince": str(rng.randint(2005, 2024)),
        "EmployeeCount": str(rng.choice((5, 20, 50, 200, 1000, 5000))),
    }
    return profile


# The most profiles one call makes (about a minute and a few GB): a count of 10**30 sent
# to a server would otherwise hold a worker and grow its memory until it died.
MAX_FAKE_PROFILES = 1_000_000


def generate_profiles(
    count: int, *, seed: int | None = None, locale: str = "en_US", business_ratio: float = 0.2
) -> list[dict[str, Any]]:
    """Return `count` valid CreateProfile bodies (without DomainName) for fake people/businesses.

    The same `seed`, `count`, `locale` and `business_ratio` always give the same list;
    `seed=None` gives a different list each call. Emails are unique within one call.
    """
    checked: object = count  # runtime check despite the annotation (bool is an int)
    if isinstance(checked, bool) or not isinstance(checked, int) or checked < 0:
        raise InvalidArgumentError(f"count must be a non-negative integer, got {count!r}")
    if checked > MAX_FAKE_PROFILES:  # over the control API, a number is all it takes
        raise InvalidArgumentError(
            f"count must be at most {MAX_FAKE_PROFILES:,} a call, got {checked:,}: call "
            "fake_profiles again for more"
        )
    ratio: object = business_ratio
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or not 0 <= ratio <= 1:
        raise InvalidArgumentError(
            f"business_ratio must be between 0 and 1, got {business_ratio!r}"
        )
    chosen: object = seed
    if chosen is not None and (isinstance(chosen, bool) or not isinstance(chosen, int)):
        raise InvalidArgumentError(f"seed must be an integer or None, got {seed!r}")
    rng = random.Random(seed)
    # One pool per locale, filled by Faker on first use: calls take turns with it.
    with _LOCK:
        pool = _pool(locale)
        return [
            (_business if rng.random() < business_ratio else _individual)(pool, rng, i)
            for i in range(count)
        ]
