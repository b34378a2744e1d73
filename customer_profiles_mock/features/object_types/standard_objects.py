"""The standard objects a mapping can target (`_asset`, `_airBooking`, ...), each with its source.

One ``StandardObject`` per standard object of the Amazon Connect admin guide, each named by
the model's ``StandardIdentifier`` a key carries to tie an ingested object to one:

- ``fields``: its scalar fields (a target names one exactly); ``structures``: its fields of
  a structured type (``Loyalty``, ``Price``) or a string map (``Attributes``), under which
  any sub-field is accepted [INFERRED: the guide's tables of those types are not all
  catalogued here];
- ``complete``: False when the guide's table could not be read to its end (or not at all):
  any field under the object is then accepted [INFERRED], rather than refusing a field
  AWS documents;
- ``id_field``: the system identifier of the object (a target may not name it: AWS's own
  sample maps its booking id to ``_airBooking.Attributes.BookingId``);
- ``keys``: its predefined search keys (standard index names) and the field each indexes.

Sources: [DOC std-*] the admin guide page ``standard-<name>-object-fields`` (or
``standard-asset-definition`` and so on for the first three); [OSS travel] the mappings of
aws-samples/sample-for-customer-profiles-travel-hospitality (``airlines/mappings/*.json``,
``hotels/mappings/*.json``), whose targets are accepted; [MODEL] the ``ObjectFilter.KeyName``
documentation (``_assetId``, ``_assetName``, ``_serialNumber``, ``_caseId``, ``_orderId``).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["BY_IDENTIFIER", "STANDARD_KEYS", "STANDARD_OBJECTS", "StandardObject"]


class StandardObject(NamedTuple):
    name: str  # the object type name, `_asset`
    identifier: str  # the model's StandardIdentifier that ties an object to it
    id_field: str | None  # its system identifier ("" unknown: None)
    fields: tuple[str, ...]
    structures: tuple[str, ...]
    keys: dict[str, str]  # predefined key -> the field it indexes
    complete: bool
    source: str


_ADDRESS = (
    "Address1", "Address2", "Address3", "Address4", "City", "County", "State", "Province",
    "Country", "PostalCode",
)  # fmt: skip


def _object(
    name: str,
    identifier: str,
    id_field: str | None,
    fields: str,
    structures: str = "Attributes",
    *,
    keys: dict[str, str] | None = None,
    complete: bool = True,
    source: str,
) -> StandardObject:
    return StandardObject(
        name,
        identifier,
        id_field,
        tuple(fields.split()),
        tuple(structures.split()),
        keys or {},
        complete,
        source,
    )


_CATALOGUE = (
    _object(
        "_asset", "ASSET", "AssetId",
        "AssetId AssetName SerialNumber ModelNumber ModelName ProductSKU PurchaseDate"
        " UsageEndDate Status Price Quantity Description AdditionalInformation DataSource",
        keys={"_assetId": "AssetId", "_assetName": "AssetName", "_serialNumber": "SerialNumber"},
        source="[DOC standard-asset-definition] [MODEL ObjectFilter.KeyName]",
    ),
    _object(
        "_order", "ORDER", "OrderId",
        "OrderId CustomerEmail CustomerPhone CreatedDate UpdatedDate ProcessedDate ClosedDate"
        " CancelledDate CancelReason Name AdditionalInformation Gateway Status StatusCode"
        " StatusUrl CreditCardNumber CreditCardCompany FulfillmentStatus TotalPrice TotalTax"
        " TotalDiscounts TotalItemsPrice TotalShippingPrice TotalTipReceived Currency"
        " TotalWeight "
        + " ".join(
            f"{address}.{part}"
            for address in ("BillingAddress", "ShippingAddress")
            for part in ("Name", *_ADDRESS)
        ),
        keys={"_orderId": "OrderId"},
        source="[DOC standard-order-definition] [MODEL ObjectFilter.KeyName]",
    ),
    _object(
        "_case", "CASE", "CaseId",
        "CaseId Title Summary Status Reason CreatedBy CreatedDate UpdatedDate ClosedDate"
        " AdditionalInformation DataSource",
        keys={"_caseId": "CaseId"},
        source="[DOC standard-case-definition] [MODEL ObjectFilter.KeyName]",
    ),
    _object(
        "_airBooking", "AIR_BOOKING", "BookingId",
        "BookingId ContextId PreferenceRef BookingName PassengerIndex TravellerId GroupBooking"
        " NumberOfPassengers NumberOfAdults NumberOfChildren ProcessedDate CreatedDate"
        " CreatedBy UpdatedDate UpdatedBy Status PriorityStatus ReservationStatus"
        " MarketingCode MarketingName TravelAgent TravelAgency TravelCorpNumber Booker"
        " AdditionalInformation Email PhoneNumber CancelledDate Diplomat Child Disabled"
        " Oxygen PetOnly CancellationCharge Refundable",
        "Inventory Loyalty Channel Payment BillingAddress Price PaymentStatus Attributes",
        source="[DOC standard-air-booking-object-fields]"
        " [OSS travel airlines/mappings/Booking.json]",
    ),
    _object(
        "_airSegment", "AIR_SEGMENT", "SegmentId",
        "SegmentId BookingRef SegmentName PassengerIndex SegmentIndex SeatSelection"
        " NumberOfPassengers NumberOfLegs Tier Origin OriginCountryCode Dest DestCountryCode"
        " ProcessedDate CreatedDate CreatedBy UpdatedDate UpdatedBy Status FlightNumber"
        " Carrier CarrierType IsInternational IsEticket IsArmed LapInfant Pet"
        " PrisonerOrGuard Child Married CheckinEligible",
        complete=False,
        source="[DOC standard-air-segment-object-fields, read to CheckinEligible]"
        " [OSS travel airlines/mappings/Booking.json]",
    ),
    _object(
        "_airPreference", "AIR_PREFERENCE", "PreferenceId",
        "PreferenceId Name CreatedDate CreatedBy UpdatedDate UpdatedBy StartDate EndDate"
        " Status ReferenceId ReferenceType TravelType Transfer ArrivalAirport"
        " ArrivalTerminal DepartureAirport DepartureTerminal HomeAirport CheckInChannel"
        " CheckInChannelDevice",
        "Language Seat Journey Accessibility Insurance Interest Loyalty Dining"
        " MediaEntertainment PaymentForm PetInfo SpecialRequest TicketDistribution Marketing"
        " Medical Attributes",
        complete=False,
        source="[DOC standard-air-preference-object-fields, read to Medical]"
        " [OSS travel airlines/mappings/Preferences.json]",
    ),
    _object(
        "_hotelReservation", "HOTEL_RESERVATION", "ReservationId",
        "ReservationId ConfirmationNumber PreferenceRef Status TripType BrandCode HotelCode"
        " PhoneNumber EmailAddress GroupId ContextId ProcessedDate CreatedDate CreatedBy"
        " UpdatedDate UpdatedBy AgentId Reserver SameDayRate Refundable CancellationCharge"
        " TransactionId AmountPerNight AdditionalNote NumberOfNights NumberOfGuests",
        complete=False,
        source="[DOC standard-hotel-reservation-object-fields, read to NumberOfGuests]"
        " [OSS travel hotels/mappings/Booking.json]",
    ),
    _object(
        "_hotelStayRevenue", "HOTEL_STAY_REVENUE", "StayRevenueId",
        "StayRevenueId",
        complete=False,
        source="[OSS travel hotels/mappings/StayRevenue.json] (the guide's table was not"
        " found)",
    ),
    _object(
        "_hotelPreference", "HOTEL_PREFERENCE", "PreferenceId",
        "PreferenceId Name CreatedDate CreatedBy UpdatedDate UpdatedBy StartDate EndDate"
        " Status Smoking CleaningTime CheckInType CheckOutType ReferenceId ReferenceType",
        "Location Bedding Tour ContactDetail ContactDetailAddress ContactDetailCommunication"
        " Language CarRental Accessibility Interest Loyalty Dining MediaEntertainment"
        " PaymentForm PetInfo SpecialRequest Marketing Medical Attributes",
        complete=False,
        source="[DOC standard-hotel-preference-object-fields, read to Medical]"
        " [OSS travel hotels/mappings/Preferences.json]",
    ),
    _object(
        "_loyalty", "LOYALTY", "LoyaltyId",
        "LoyaltyId ProgramId MembershipId ProgramName Group Channel CreatedDate"
        " EnrollmentDate CreatedBy UpdatedDate LastUpdatedBy UpgradeDate RenewalDate"
        " AdditionalInformation EmailAddress EmailAddressVerified PhoneNumber"
        " PhoneNumberVerified Status",
        # PointExpirations is a list: not a target, as the profile's lists are not.
        "Tier Points Payment PaymentInformation BillingAddress Attributes",
        keys={"_loyaltyId": "LoyaltyId", "_loyaltyMembershipId": "MembershipId"},
        source="[DOC standard-loyalty-object-fields] [OSS travel airlines/mappings/Loyalty.json]",
    ),
    _object(
        "_loyaltyTransaction", "LOYALTY_TRANSACTION", "TransactionId",
        "TransactionId TransactionName TransactionType ProgramRef MembershipRef PromotionRef"
        " CreatedDate TransactionDate Industry Location CreatedBy UpdatedDate UpdatedBy"
        " Status AccrualType Category Channel ProductId Amount OriginValue"
        " OriginValueCurrency OriginValueOffset PointsEarned PointOffset"
        " QualifyingPointsEarned",
        complete=False,
        source="[DOC standard-loyalty-transaction-object-fields, read to QualifyingPointsEarned]",
    ),
    _object(
        "_loyaltyPromotion", "LOYALTY_PROMOTION", "PromotionId",
        "PromotionId PromotionName PromotionType ProgramType ProgramRef PartnerId"
        " PartnerNumber Tier StartDate EnrolledDate EndDate Amount Period Status CreatedDate"
        " CreatedBy UpdatedDate UpdatedBy CampaignRef AdditionalInformation",
        "TriggerLimit Usage Rules Incentive Attributes",
        source="[DOC standard-loyalty-promotion-object-fields]",
    ),
    _object(
        "_communicationRecord", "COMMUNICATION_RECORD", "CommunicationRecordId",
        "CommunicationRecordId Channel ConnectInstanceArn CreatedDate UpdatedDate"
        " LastEventType",
        # The campaign structure's name is read from a translated page: inferred.
        "Campaign Endpoint Events Attributes",
        keys={"_communicationRecordId": "CommunicationRecordId"},
        source="[DOC customer-profiles-standard-communication-record-object-fields]",
    ),
    _object(
        "_device", "DEVICE", None, "", "", complete=False,
        source="[MODEL StandardIdentifier DEVICE] (the guide's table was not found)",
    ),
    _object(
        "_webAnalytics", "WEB_ANALYTICS", None, "", "", complete=False,
        source="[MODEL StandardIdentifier WEB_ANALYTICS] (the guide's table was not found)",
    ),
)  # fmt: skip

# Every standard object but the profile, by object type name.
STANDARD_OBJECTS: dict[str, StandardObject] = {o.name: o for o in _CATALOGUE}
# By the standard identifier a key carries.
BY_IDENTIFIER: dict[str, StandardObject] = {o.identifier: o for o in _CATALOGUE}
# Each predefined key of a standard object -> that object.
STANDARD_KEYS: dict[str, StandardObject] = {k: o for o in _CATALOGUE for k in o.keys}


def is_target(target: str) -> bool:
    """Whether ``target`` (``_airBooking.Loyalty.MembershipId``) names a field of a
    standard object other than the profile (its system identifier included)."""
    head, _, rest = target.partition(".")
    standard = STANDARD_OBJECTS.get(head)
    if standard is None or not rest:
        return False
    if rest in standard.fields:
        return True
    first, dot, sub = rest.partition(".")
    if first in standard.structures:
        return bool(dot and sub)
    return not standard.complete and all(rest.split("."))
