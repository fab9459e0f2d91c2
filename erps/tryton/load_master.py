"""Load a master-data spec into a fresh Tryton database (run by the Tryton venv's python).

Usage: ``python load_master.py --config CONF --database NAME --spec SPEC.json``. This file
is executed, never imported by tillbench: it needs proteus and trytond, which live only in
the Tryton environment. Bulk records (products, inventory lines) go through one RPC create
per chunk; the rest follows the account and sale_point modules' own test scenarios. Prints
one JSON line with the ids it created.
"""

from __future__ import annotations

import argparse
import configparser
import datetime as dt
import json
import sys
import urllib.parse
from decimal import Decimal
from typing import Any

from proteus import Model, config

_CHUNK = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--spec", required=True)
    args = parser.parse_args()
    with open(args.spec, encoding="utf-8") as fh:
        spec = json.load(fh)
    cfg = config.set_trytond(
        database=_database_uri(args.config, args.database), user="admin", config_file=args.config
    )
    result = load(spec, cfg)
    sys.stdout.write(json.dumps(result) + "\n")


def _database_uri(config_file: str, name: str) -> str:
    """The config's ``[database] uri`` with `name` as its path (proteus wants the full URI)."""
    parser = configparser.ConfigParser()
    parser.read(config_file)
    uri = urllib.parse.urlparse(parser.get("database", "uri", fallback="sqlite://"))
    return urllib.parse.urlunparse(uri._replace(path=f"/{name}"))


def load(spec: dict[str, Any], cfg: Any) -> dict[str, Any]:
    # trytond's modules are imported only now: trytond.backend picks SQLite or PostgreSQL
    # from the configuration when first imported, and set_trytond has just loaded it.
    from trytond.modules.account.tests.tools import get_accounts

    company = _company(spec["company"])
    accounts = get_accounts(company)
    _fiscal_year(company, spec["dates"])
    taxes = _taxes(spec["taxes"], accounts)
    categories = _categories(taxes, accounts)
    unit = Model.get("product.uom").find([("name", "=", "Unit")])[0]
    products = _products(spec["products"], categories, unit.id, company.id)
    locations = _locations(spec["stores"])
    points = _points(spec["stores"], locations, company)
    methods = _methods(spec["tenders"], accounts, company)
    _opening_stock(spec, locations, products, company.id)
    return {
        "company": company.id,
        "points": points,
        "payment_methods": methods,
        "products": len(products),
    }


def _company(data: dict[str, Any]) -> Any:
    from trytond.modules.account.tests.tools import create_chart
    from trytond.modules.company.tests.tools import create_company

    Currency = Model.get("currency.currency")
    Rate = Model.get("currency.currency.rate")
    Party = Model.get("party.party")
    code = data["currency"]
    found = Currency.find([("code", "=", code)])
    if found:
        currency = found[0]
    else:
        currency = Currency(
            name=code, code=code, symbol=code, rounding=Decimal(1).scaleb(-data["exponent"])
        )
        currency.save()
        Rate(date=dt.date.min, rate=Decimal(1), currency=currency).save()
    party = Party(name=data["name"])
    party.save()
    create_company(party, currency)
    create_chart()
    return Model.get("company.company").find()[0]


def _fiscal_year(company: Any, dates: dict[str, str]) -> None:
    from trytond.modules.account.tests.tools import create_fiscalyear
    from trytond.modules.account_invoice.tests.tools import set_fiscalyear_invoice_sequences

    start = dt.date.fromisoformat(dates["start"]) - dt.timedelta(days=1)
    end = dt.date.fromisoformat(dates["end"])
    year = set_fiscalyear_invoice_sequences(create_fiscalyear(company, today=(start, end)))
    year.save()
    year.click("create_period")


def _taxes(specs: list[dict[str, str]], accounts: dict[str, Any]) -> dict[str, int]:
    Tax = Model.get("account.tax")
    out = {}
    for spec in specs:
        tax = Tax(
            name=f"tax {spec['name']}",
            description=f"tax {spec['name']} {spec['rate']}",
            type="percentage",
            rate=Decimal(spec["rate"]),
            invoice_account=accounts["tax"],
            credit_note_account=accounts["tax"],
        )
        tax.save()
        out[spec["name"]] = tax.id
    return out


def _categories(taxes: dict[str, int], accounts: dict[str, Any]) -> dict[str, int]:
    Category = Model.get("product.category")
    Tax = Model.get("account.tax")
    out = {}
    for name, tax_id in taxes.items():
        category = Category(name=f"sales {name}", accounting=True)
        category.account_revenue = accounts["revenue"]
        category.account_expense = accounts["expense"]
        category.customer_taxes.append(Tax(tax_id))
        category.save()
        out[name] = category.id
    return out


def _products(
    specs: list[dict[str, str]], categories: dict[str, int], unit: int, company: int
) -> dict[str, int]:
    Template = Model.get("product.template")
    Product = Model.get("product.product")
    context = {"company": company}
    for start in range(0, len(specs), _CHUNK):
        values = [
            {
                "name": spec["name"],
                "code": spec["code"],
                "type": "goods",
                "default_uom": unit,
                "salable": True,
                "sale_uom": unit,
                "account_category": categories[spec["tax_class"]],
                "list_price": Decimal(spec["list_price"]),
                "gross_price": Decimal(spec["gross_price"]),
                "products": [("create", [{}])],
            }
            for spec in specs[start : start + _CHUNK]
        ]
        Template._proxy.create(values, context)
    rows = Product._proxy.search_read([], 0, None, None, ["code"], context)
    return {row["code"]: row["id"] for row in rows}


def _locations(stores: list[dict[str, str]]) -> dict[str, dict[str, int]]:
    Location = Model.get("stock.location")
    parent = Location.find([("code", "=", "STO")])[0]
    out = {}
    for store in stores:
        storage = Location(name=store["id"], code=store["id"], type="storage", parent=parent)
        storage.save()
        returns = Location(name=f"{store['id']} returns", code=f"{store['id']}-RET", type="storage")
        returns.parent = storage
        returns.save()
        out[store["id"]] = {"storage": storage.id, "returns": returns.id}
    return out


def _points(
    stores: list[dict[str, str]], locations: dict[str, dict[str, int]], company: Any
) -> dict[str, int]:
    Journal = Model.get("account.journal")
    Location = Model.get("stock.location")
    Point = Model.get("sale.point")
    Sequence = Model.get("ir.sequence.strict")
    SequenceType = Model.get("ir.sequence.type")
    journal = Journal.find([("type", "=", "revenue")], limit=1)[0]
    customer = Location.find([("code", "=", "CUS")])[0]
    kind = SequenceType.find([("name", "=", "POS")], limit=1)[0]
    out = {}
    for store in stores:
        sequence = Sequence(
            name=f"POS {store['id']}",
            sequence_type=kind,
            company=company,
            prefix=f"{store['id']}/",
        )
        sequence.save()
        point = Point(name=store["id"], company=company, journal=journal, sequence=sequence)
        point.tax_included = False
        point.storage_location = Location(locations[store["id"]]["storage"])
        point.return_location = Location(locations[store["id"]]["returns"])
        point.customer_location = customer
        point.save()
        out[store["id"]] = point.id
    return out


def _methods(tenders: list[str], accounts: dict[str, Any], company: Any) -> dict[str, int]:
    Method = Model.get("sale.point.payment.method")
    out = {}
    for name in tenders:
        method = Method(name=name, company=company, account=accounts["cash"], cash=name == "cash")
        method.save()
        out[name] = method.id
    return out


def _opening_stock(
    spec: dict[str, Any],
    locations: dict[str, dict[str, int]],
    products: dict[str, int],
    company: int,
) -> None:
    Inventory = Model.get("stock.inventory")
    context = {"company": company}
    per_store: dict[str, list[dict[str, Any]]] = {}
    for store_id, sku, units in spec["stock"]:
        per_store.setdefault(store_id, []).append(
            {"product": products[sku], "quantity": float(units)}
        )
    date = dt.date.fromisoformat(spec["inventory_date"])
    for store_id, lines in per_store.items():
        (inventory,) = Inventory._proxy.create(
            [
                {
                    "location": locations[store_id]["storage"],
                    "date": date,
                    "company": company,
                    "lines": [("create", lines)],
                }
            ],
            context,
        )
        Inventory._proxy.confirm([inventory], context)


if __name__ == "__main__":
    main()
