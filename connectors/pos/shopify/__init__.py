"""The Shopify Admin GraphQL adapter of the reference connectors (``TILLBENCH_POS_KIND=shopify``):
the GraphQL client that backs off by ``throttleStatus`` (`client`), orders and refunds as
documents (`orders`), the ERP → POS sync (`catalogue`) and webhook signatures (`signature`).
"""

from connectors.pos.shopify.adapter import ShopifyAdapter, create

__all__ = ["ShopifyAdapter", "create"]
