"""The Square v2 dialect of the mock POS: routers and schemas speaking Square's wire format."""
