"""Request schemas of the Catalog API (items, variations, categories, taxes, discounts)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mocks.pos.square.schemas.common import (
    S40,
    S50,
    S100R,
    S128R,
    S192,
    S192R,
    S255,
    S512,
    S2000,
    S4096,
    Limit,
    Model,
    Money,
    OpenModel,
    Version,
)

ObjectType = Literal[
    "ITEM",
    "IMAGE",
    "CATEGORY",
    "ITEM_VARIATION",
    "TAX",
    "DISCOUNT",
    "MODIFIER_LIST",
    "MODIFIER",
    "PRICING_RULE",
    "PRODUCT_SET",
    "TIME_PERIOD",
    "MEASUREMENT_UNIT",
    "ITEM_OPTION",
    "ITEM_OPTION_VAL",
    "QUICK_AMOUNTS_SETTINGS",
]


class VariationData(OpenModel):
    item_id: S192 | None = None
    name: S255 | None = None
    sku: S255 | None = None
    upc: S50 | None = None
    pricing_type: Literal["FIXED_PRICING", "VARIABLE_PRICING"] | None = None
    price_money: Money | None = None
    track_inventory: bool | None = None
    sellable: bool | None = None
    stockable: bool | None = None


class ItemData(OpenModel):
    name: S512 | None = None
    description: S4096 | None = None
    category_id: S192 | None = None
    tax_ids: list[S192] | None = Field(None, max_length=100)
    variations: list[CatalogObject] | None = Field(None, max_length=250)
    product_type: S40 | None = None
    is_taxable: bool | None = None


class CatalogObject(Model):
    type: ObjectType
    id: S192R
    version: Version | None = None
    is_deleted: bool | None = None
    present_at_all_locations: bool | None = None
    present_at_location_ids: list[S50] | None = Field(None, max_length=1000)
    item_data: ItemData | None = None
    item_variation_data: VariationData | None = None
    category_data: OpenModel | None = None
    tax_data: OpenModel | None = None
    discount_data: OpenModel | None = None


ItemData.model_rebuild()


class UpsertCatalogObjectRequest(Model):
    idempotency_key: S128R
    object: CatalogObject


class ObjectBatch(Model):
    objects: list[CatalogObject] = Field(min_length=1, max_length=1000)


class BatchUpsertCatalogObjectsRequest(Model):
    idempotency_key: S128R
    batches: list[ObjectBatch] = Field(min_length=1, max_length=10)


class ExactQuery(Model):
    attribute_name: S100R
    attribute_value: S255


class CatalogQuery(Model):
    exact_query: ExactQuery | None = None


class SearchCatalogObjectsRequest(Model):
    cursor: S2000 | None = None
    object_types: list[ObjectType] | None = Field(None, max_length=20)
    include_deleted_objects: bool | None = None
    include_related_objects: bool | None = None
    begin_time: S40 | None = None
    query: CatalogQuery | None = None
    limit: Limit | None = None
