import pytest

from tillbench.overrides import OverrideError, parse_overrides


def test_parse_overrides_reads_yaml_scalars():
    assert parse_overrides(["erp.concurrency=3", "returns.rate=0.1", "x=true", "d=5m"]) == {
        "erp.concurrency": 3,
        "returns.rate": 0.1,
        "x": True,
        "d": "5m",
    }


def test_parse_overrides_keeps_text_after_the_first_equals_sign():
    assert parse_overrides(["description=a=b"]) == {"description": "a=b"}


@pytest.mark.parametrize("item", ["erp.concurrency", "=3", " =3"])
def test_parse_overrides_rejects_items_without_key_and_value(item):
    with pytest.raises(OverrideError, match="expected KEY=VALUE"):
        parse_overrides([item])
