"""Request schemas of the Customers, Locations and Webhook Subscriptions APIs."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mocks.pos.square.schemas.common import (
    S10,
    S17,
    S20,
    S30,
    S40,
    S45R,
    S64,
    S64R,
    S100,
    S192R,
    S254,
    S255,
    S255R,
    S300,
    S500,
    S1024,
    S2000,
    S2000R,
    Model,
    OpenModel,
    SortOrder,
)


class CreateCustomerRequest(Model):
    idempotency_key: S192R | None = None
    given_name: S300 | None = None
    family_name: S300 | None = None
    company_name: S500 | None = None
    nickname: S100 | None = None
    email_address: S254 | None = None
    address: OpenModel | None = None
    phone_number: S40 | None = None
    reference_id: S100 | None = None
    note: S2000 | None = None
    birthday: S10 | None = None


class LocationIn(Model):
    name: S255R | None = None
    address: OpenModel | None = None
    timezone: S30 | None = None
    status: S10 | None = None
    description: S1024 | None = None
    phone_number: S17 | None = None
    business_name: S255 | None = None


class CreateLocationRequest(Model):
    location: LocationIn


class SubscriptionIn(Model):
    name: S64 | None = None
    enabled: bool | None = None
    event_types: list[S64R] | None = Field(None, max_length=50)
    notification_url: S2000R | None = None
    api_version: S20 | None = None


class CreateWebhookSubscriptionRequest(Model):
    idempotency_key: S45R | None = None
    subscription: SubscriptionIn


class UpdateWebhookSubscriptionRequest(Model):
    subscription: SubscriptionIn | None = None


class TimeRange(Model):
    start_at: S40 | None = None
    end_at: S40 | None = None


class CustomerTextFilter(Model):
    exact: S300 | None = None
    fuzzy: S300 | None = None


CustomerCreationSource = Literal[
    "OTHER",
    "APPOINTMENTS",
    "COUPON",
    "DELETION_RECOVERY",
    "DIRECTORY",
    "EGIFTING",
    "EMAIL_COLLECTION",
    "FEEDBACK",
    "IMPORT",
    "INVOICES",
    "LOYALTY",
    "MARKETING",
    "MERGE",
    "ONLINE_STORE",
    "INSTANT_PROFILE",
    "TERMINAL",
    "THIRD_PARTY",
    "THIRD_PARTY_IMPORT",
    "UNMERGE_RECOVERY",
]


class CustomerCreationSourceFilter(Model):
    values: list[CustomerCreationSource] | None = Field(None, max_length=50)
    rule: Literal["INCLUDE", "EXCLUDE"] | None = None


class CustomerFilter(Model):
    creation_source: CustomerCreationSourceFilter | None = None
    created_at: TimeRange | None = None
    updated_at: TimeRange | None = None
    email_address: CustomerTextFilter | None = None
    phone_number: CustomerTextFilter | None = None
    reference_id: CustomerTextFilter | None = None
    group_ids: OpenModel | None = None
    custom_attribute: OpenModel | None = None
    segment_ids: OpenModel | None = None


class CustomerSort(Model):
    field: Literal["DEFAULT", "CREATED_AT"] | None = None
    order: SortOrder | None = None


class CustomerQuery(Model):
    filter: CustomerFilter | None = None
    sort: CustomerSort | None = None


class SearchCustomersRequest(Model):
    cursor: S2000 | None = None
    limit: int | None = Field(None, ge=1, le=100)
    query: CustomerQuery | None = None
    count: bool | None = None
