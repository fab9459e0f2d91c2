"""``GET /api/v2.0/$metadata``: the CSDL (OData v4 EDMX) document of the dialect, built
from `mocks.erp.bc.entities`: every entity type with its properties and key, the navigation
to lines, the bound ``post`` actions, and an entity container with ``companies`` and each
company-scoped set (Business Central also answers ``/api/v2.0/items`` with the company in a
``Company`` header or a ``company`` query parameter, which is how generic OData clients
address those sets). Generic clients (``python-odata``) reflect their model from it.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from mocks.erp.bc.entities import ALL_SETS, COMPANY_SETS, EntitySet, company_set

NAMESPACE = "Microsoft.NAV"
_COMPANY = company_set("00000000-0000-0000-0000-000000000000", "")


def _entity_type(entity: EntitySet) -> list[str]:
    out = [
        f'<EntityType Name="{entity.type_name}">',
        f'<Key><PropertyRef Name="{entity.key}"/></Key>',
    ]
    for name, prop in entity.props.items():
        nullable = "true" if prop.nullable else "false"
        out.append(f'<Property Name="{name}" Type="{prop.edm}" Nullable="{nullable}"/>')
    targets = {s.name: s for s in ALL_SETS}
    for name, target in entity.children.items():
        type_name = targets[target].type_name
        out.append(
            f'<NavigationProperty Name="{name}" Type="Collection({NAMESPACE}.{type_name})" '
            'ContainsTarget="true"/>'
        )
    out.append("</EntityType>")
    return out


def _actions(entity: EntitySet) -> list[str]:
    return [
        f'<Action Name="{action}" IsBound="true">'
        f'<Parameter Name="bindingParameter" Type="{NAMESPACE}.{entity.type_name}"/>'
        "</Action>"
        for action in entity.actions
    ]


def document() -> str:
    """The CSDL document (XML text)."""
    body: list[str] = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
        "<edmx:DataServices>",
        f'<Schema Namespace="{NAMESPACE}" Alias="NAV" '
        'xmlns="http://docs.oasis-open.org/odata/ns/edm">',
    ]
    for entity in (_COMPANY, *ALL_SETS):
        body += _entity_type(entity)
    for entity in ALL_SETS:
        body += _actions(entity)
    body.append('<EntityContainer Name="default">')
    for entity in (_COMPANY, *COMPANY_SETS):
        body.append(
            f"<EntitySet Name={quoteattr(entity.name)} "
            f'EntityType="{NAMESPACE}.{entity.type_name}"/>'
        )
    body += ["</EntityContainer>", "</Schema>", "</edmx:DataServices>", "</edmx:Edmx>"]
    return "\n".join(body)
