"""The mock POS in its Shopify Admin GraphQL dialect as a target of the run
(``--pos shopify``).

`ShopifyPos` adds to `tillbench.live.targets.mock.MockPos` what is Shopify's: the
connector's environment, the webhook subscriptions (`subscription`), the sampler's stock
and price reads (`reads`) and the end state through the GraphQL API (`collect`), all with
the harness's own access token.
"""

from tillbench.live.targets.shopify.target import ShopifyPos

__all__ = ["ShopifyPos"]
