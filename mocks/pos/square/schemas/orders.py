"""Request schemas of the Orders API."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mocks.pos.square.schemas.common import (
    S10,
    S12R,
    S30,
    S40,
    S50,
    S50R,
    S60,
    S60R,
    S100,
    S191,
    S192,
    S192R,
    S200R,
    S255,
    S400,
    S512,
    S2000,
    Id,
    Limit,
    Metadata,
    Model,
    Money,
    OrderState,
    SortOrder,
    Version,
)


class AppliedTax(Model):
    uid: S60 | None = None
    tax_uid: S60R


class AppliedDiscount(Model):
    uid: S60 | None = None
    discount_uid: S60R


class LineItem(Model):
    uid: S60 | None = None
    name: S512 | None = None
    quantity: S12R
    note: S2000 | None = None
    catalog_object_id: S192 | None = None
    catalog_version: Version | None = None
    variation_name: S400 | None = None
    item_type: Literal["ITEM", "CUSTOM_AMOUNT", "GIFT_CARD"] | None = None
    metadata: Metadata | None = None
    applied_taxes: list[AppliedTax] | None = Field(None, max_length=100)
    applied_discounts: list[AppliedDiscount] | None = Field(None, max_length=100)
    base_price_money: Money | None = None


class Tax(Model):
    uid: S60 | None = None
    catalog_object_id: S192 | None = None
    name: S255 | None = None
    type: Literal["ADDITIVE", "INCLUSIVE"] | None = None
    percentage: S10 | None = None
    scope: Literal["LINE_ITEM", "ORDER"] | None = None
    metadata: Metadata | None = None


class Discount(Model):
    uid: S60 | None = None
    catalog_object_id: S192 | None = None
    name: S255 | None = None
    type: Literal["FIXED_PERCENTAGE", "FIXED_AMOUNT"] | None = None
    percentage: S10 | None = None
    amount_money: Money | None = None
    scope: Literal["LINE_ITEM", "ORDER"] | None = None
    metadata: Metadata | None = None


class Source(Model):
    name: S100 | None = None


class OrderFields(Model):
    """Writable fields of an order."""

    reference_id: S40 | None = None
    source: Source | None = None
    customer_id: S191 | None = None
    line_items: list[LineItem] | None = Field(None, max_length=500)
    taxes: list[Tax] | None = Field(None, max_length=100)
    discounts: list[Discount] | None = Field(None, max_length=100)
    metadata: Metadata | None = None
    state: OrderState | None = None
    version: Version | None = None
    ticket_name: S30 | None = None


class OrderIn(OrderFields):
    location_id: S50R


class OrderPatch(OrderFields):
    location_id: S50R | None = None


class CreateOrderRequest(Model):
    order: OrderIn
    idempotency_key: S192R | None = None


class UpdateOrderRequest(Model):
    order: OrderPatch | None = None
    fields_to_clear: list[S200R] | None = Field(None, max_length=100)
    idempotency_key: S192R | None = None


class BatchRetrieveOrdersRequest(Model):
    location_id: S50 | None = None
    order_ids: list[Id] = Field(min_length=1, max_length=100)


class TimeRange(Model):
    start_at: S40 | None = None
    end_at: S40 | None = None


class DateTimeFilter(Model):
    created_at: TimeRange | None = None
    updated_at: TimeRange | None = None
    closed_at: TimeRange | None = None


class StateFilter(Model):
    states: list[OrderState] = Field(min_length=1, max_length=4)


class SearchFilter(Model):
    state_filter: StateFilter | None = None
    date_time_filter: DateTimeFilter | None = None


class SearchSort(Model):
    sort_field: Literal["CREATED_AT", "UPDATED_AT", "CLOSED_AT"]
    sort_order: SortOrder | None = None


class SearchQuery(Model):
    filter: SearchFilter | None = None
    sort: SearchSort | None = None


class SearchOrdersRequest(Model):
    location_ids: list[S50R] = Field(min_length=1, max_length=10)
    cursor: S2000 | None = None
    query: SearchQuery | None = None
    limit: Limit | None = None
    return_entries: bool | None = None
