"""The chain's assortment: SKUs with names, brands, categories, EAN-13, tax class and prices.

Faker supplies the brand names (a small pool, one call per brand); everything per SKU is
drawn with numpy and combined from pools, so 30,000 SKUs take milliseconds.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pyarrow as pa
from faker import Faker
from numpy.typing import NDArray

from domain.rundir.truth import CATALOG
from simulator.params import Params

__all__ = ["AliasTable", "Catalog", "build_catalog", "ean13_check_digits"]

_CATEGORY_TABLE = """
    Produce: Apples, Bananas, Tomatoes, Onions, Lettuce, Grapes | 1 lb, 2 lb, each
    Dairy: Milk, Yogurt, Butter, Cheddar, Cream, Eggs | 1 qt, 1 gal, 8 oz, 12 ct
    Bakery: Bread, Bagels, Muffins, Croissants, Rolls | 6 ct, 12 ct, 20 oz
    Meat: Chicken Breast, Ground Beef, Pork Chops, Sausages | 1 lb, 2 lb, 16 oz
    Seafood: Salmon Fillet, Shrimp, Tuna Steak, Cod | 8 oz, 1 lb
    Frozen: Pizza, Ice Cream, Peas, Waffles, Fries | 16 oz, 1 pt, 32 oz
    Pantry: Pasta, Rice, Flour, Sugar, Olive Oil, Beans | 1 lb, 2 lb, 500 ml
    Snacks: Chips, Pretzels, Crackers, Popcorn, Nuts | 7 oz, 10 oz, family size
    Beverages: Cola, Orange Juice, Sparkling Water, Iced Tea, Coffee | 12 pk, 2 l, 1 l
    Breakfast: Cereal, Oatmeal, Granola, Pancake Mix | 12 oz, 18 oz
    Deli: Ham, Turkey, Salami, Hummus | 8 oz, 1 lb
    Household: Paper Towels, Dish Soap, Trash Bags, Detergent | 6 ct, 24 oz, 40 ct
    Personal Care: Shampoo, Toothpaste, Deodorant, Body Wash | 12 oz, 4 oz
    Baby: Diapers, Baby Wipes, Formula | 32 ct, 64 ct, 12 oz
    Pet: Dog Food, Cat Litter, Cat Food | 5 lb, 20 lb, 12 ct
    Health: Pain Relief, Vitamins, Bandages | 50 ct, 100 ct
    Condiments: Ketchup, Mustard, Mayonnaise, Salsa | 12 oz, 20 oz
    Canned: Soup, Tuna, Corn, Tomato Sauce | 15 oz, 4 pk
    Candy: Chocolate Bar, Gummies, Mints | 1.5 oz, share size
    Wine & Beer: Red Wine, White Wine, Lager, IPA | 750 ml, 6 pk, 12 pk
    Floral: Roses, Tulips, Bouquet | dozen, each
    Kitchen: Foil, Plastic Wrap, Storage Bags | 75 sq ft, 50 ct
    Seasonal: Candles, Gift Wrap, Decorations | each, 3 pk
    Stationery: Pens, Notebook, Tape | 10 ct, each
"""
_CATEGORIES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = tuple(
    (
        name.strip(),
        tuple(n.strip() for n in nouns.split(",")),
        tuple(z.strip() for z in sizes.split(",")),
    )
    for name, rest in (line.split(":", 1) for line in _CATEGORY_TABLE.strip().splitlines())
    for nouns, sizes in [rest.split("|")]
)
_DESCRIPTORS = ("Classic", "Organic", "Select", "Original", "Light", "Premium", "Family", "Fresh")
_BRANDS_PER_CATEGORY = 6


@dataclasses.dataclass(frozen=True, slots=True)
class Catalog:
    """SKU columns; index i is SKU ``sku_ids[i]``."""

    sku_ids: list[str]
    gtins: list[str]
    names: list[str]
    brands: list[str]
    categories: list[str]
    category: NDArray[np.int64]
    tax_class: NDArray[np.int64]
    tax_class_names: list[str]
    price_minor: NDArray[np.int64]
    cost_minor: NDArray[np.int64]
    popularity: NDArray[np.float64]
    cdf: NDArray[np.float64]
    alias: AliasTable

    def __len__(self) -> int:
        return len(self.sku_ids)

    def table(self, params: Params) -> pa.Table:
        rates = [str(tc.rate) for tc in params.tax_classes]
        return pa.table(
            {
                "sku": self.sku_ids,
                "gtin": self.gtins,
                "name": self.names,
                "brand": self.brands,
                "category": [self.categories[c] for c in self.category.tolist()],
                "tax_class": pa.DictionaryArray.from_arrays(
                    pa.array(self.tax_class, pa.int32()), self.tax_class_names
                ),
                "tax_rate": [rates[c] for c in self.tax_class.tolist()],
                "price_minor": self.price_minor,
                "cost_minor": self.cost_minor,
                "currency": pa.DictionaryArray.from_arrays(
                    pa.array(np.zeros(len(self), np.int32)), [params.currency]
                ),
                "popularity": self.popularity,
            },
            schema=CATALOG.schema,
        )


@dataclasses.dataclass(frozen=True, slots=True)
class AliasTable:
    """Walker's alias method: O(1) draws from a discrete distribution (Vose's construction).

    Drawing a SKU costs one uniform and two lookups, instead of a binary search of the CDF.
    """

    prob: NDArray[np.float64]
    alias: NDArray[np.int64]

    @classmethod
    def build(cls, p: NDArray[np.float64]) -> AliasTable:
        k = len(p)
        scaled = np.asarray(p, dtype=np.float64) * k / p.sum()
        prob = np.ones(k)
        alias = np.arange(k, dtype=np.int64)
        small = [i for i in range(k) if scaled[i] < 1.0]
        large = [i for i in range(k) if scaled[i] >= 1.0]
        while small and large:
            s, g = small.pop(), large.pop()
            prob[s] = scaled[s]
            alias[s] = g
            scaled[g] -= 1.0 - scaled[s]
            (small if scaled[g] < 1.0 else large).append(g)
        return cls(prob, alias)

    def draw(self, rng: np.random.Generator, n: int) -> NDArray[np.int64]:
        u = rng.random(n) * len(self.prob)
        i = u.astype(np.int64)
        return np.where(u - i < self.prob[i], i, self.alias[i])


def ean13_check_digits(bodies: NDArray[np.int64]) -> NDArray[np.int64]:
    """GS1 check digits of 12-digit bodies given as integers (weights 1,3,1,… from the left)."""
    digits = (bodies[:, None] // 10 ** np.arange(11, -1, -1)) % 10
    weights = np.where(np.arange(12) % 2 == 0, 1, 3)
    return np.asarray((10 - (digits * weights).sum(axis=1) % 10) % 10, dtype=np.int64)


def build_catalog(params: Params, rng: np.random.Generator, fake: Faker) -> Catalog:
    k = params.skus
    n_cat = params.categories
    cat_names = [_category(i)[0] for i in range(n_cat)]
    brand_pool = [
        [fake.unique.last_name() for _ in range(_BRANDS_PER_CATEGORY)] for _ in range(n_cat)
    ]
    fake.unique.clear()

    category = rng.integers(0, n_cat, k)
    brand_pick = rng.integers(0, _BRANDS_PER_CATEGORY, k)
    noun_pick = rng.integers(0, 1 << 30, k)
    desc_pick = rng.integers(0, len(_DESCRIPTORS), k)
    size_pick = rng.integers(0, 1 << 30, k)
    shares = np.array([tc.share for tc in params.tax_classes])
    tax_class = np.searchsorted(np.cumsum(shares / shares.sum()), rng.random(k), side="right")
    tax_class = np.minimum(tax_class, len(shares) - 1).astype(np.int64)

    brands, names = [], []
    for c, b, n, d, s in zip(
        category.tolist(),
        brand_pick.tolist(),
        noun_pick.tolist(),
        desc_pick.tolist(),
        size_pick.tolist(),
        strict=True,
    ):
        _, nouns, sizes = _category(c)
        brand = brand_pool[c][b]
        brands.append(brand)
        names.append(f"{brand} {_DESCRIPTORS[d]} {nouns[n % len(nouns)]} {sizes[s % len(sizes)]}")

    price_minor = _prices(params, rng, k)
    cost_minor = np.maximum(np.rint(price_minor * (1.0 - params.margin)), 0).astype(np.int64)

    company = rng.choice(
        np.arange(100_000, 1_000_000), size=n_cat * _BRANDS_PER_CATEGORY, replace=False
    )
    bodies = company[category * _BRANDS_PER_CATEGORY + brand_pick] * 1_000_000 + np.arange(k)
    gtin_ints = bodies * 10 + ean13_check_digits(bodies)
    width = len(str(max(k, 1)))
    sku_ids = [f"SKU-{i:0{max(width, 5)}d}" for i in range(k)]

    ranks = rng.permutation(k) + 1
    weights = ranks.astype(np.float64) ** -params.zipf
    popularity = weights / weights.sum()
    cdf = np.cumsum(popularity)
    cdf[-1] = 1.0
    return Catalog(
        sku_ids=sku_ids,
        gtins=[f"{g:013d}" for g in gtin_ints.tolist()],
        names=names,
        brands=brands,
        categories=cat_names,
        category=category.astype(np.int64),
        tax_class=tax_class,
        tax_class_names=[tc.name for tc in params.tax_classes],
        price_minor=price_minor,
        cost_minor=cost_minor,
        popularity=popularity,
        cdf=cdf,
        alias=AliasTable.build(popularity),
    )


def _category(i: int) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    name, nouns, sizes = _CATEGORIES[i % len(_CATEGORIES)]
    if i >= len(_CATEGORIES):
        name = f"{name} {i // len(_CATEGORIES) + 1}"
    return name, nouns, sizes


def _prices(params: Params, rng: np.random.Generator, k: int) -> NDArray[np.int64]:
    """Lognormal unit prices snapped to retail endings (x.99, x.49 …) in minor units."""
    major = params.price_median * np.exp(params.price_sigma * rng.standard_normal(k))
    scale = 10**params.exponent
    if params.exponent == 0 or not params.endings:
        return np.asarray(np.maximum(np.rint(major * scale), 1), dtype=np.int64)
    endings = np.rint(np.asarray(params.endings) * scale).astype(np.int64)
    ending = endings[rng.integers(0, len(endings), k)]
    whole = np.floor(major).astype(np.int64)
    return np.asarray(whole * scale + ending, dtype=np.int64)
