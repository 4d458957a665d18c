"""Conditional writes at the store level (MemoryStore, SqlStore on SQLite and PostgreSQL): every cart and item
carries a version (its ETag); `if_match=` writes only at one of the given versions, else PreconditionFailed
(412) and nothing written. What read-modify-write clients need to avoid lost updates (RFC 9110 If-Match)."""

from __future__ import annotations

import threading

import pytest

from service.store import (
    CartRecord,
    ItemChanges,
    ItemRecord,
    PreconditionFailed,
    Store,
    etag,
    parse_if_match,
)

NOW = "2026-11-30T12:00:00.000000Z"


def _cart(store: Store, cart_id: str = "c1", tenant: str = "acme") -> CartRecord:
    cart = CartRecord(id=cart_id, tenant=tenant, customer_id="cus_1", currency="EUR", created_at=NOW, updated_at=NOW)
    store.create_cart(cart)
    return cart


def _item(store: Store, item_id: str = "i1", cart_id: str = "c1", quantity: int = 1) -> ItemRecord:
    item = ItemRecord(id=item_id, sku="MUG01", quantity=quantity, unit_amount_minor=100)
    assert store.add_item("acme", cart_id, item, NOW, 100)
    return item


def _get(store: Store, cart_id: str = "c1") -> CartRecord:
    cart = store.get_cart("acme", cart_id)
    assert cart is not None
    return cart


def test_versions_count_every_write(store: Store) -> None:
    _cart(store)
    assert _get(store).version == 1
    _item(store)
    cart = _get(store)
    assert cart.version == 2 and cart.items[0].version == 1
    updated = store.update_item("acme", "c1", "i1", ItemChanges(quantity=5), NOW)
    assert updated is not None and updated.version == 2 and updated.quantity == 5
    _item(store, "i2")
    cart = _get(store)
    assert cart.version == 4 and [i.version for i in cart.items] == [2, 1]
    assert store.delete_item("acme", "c1", "i2", NOW)
    assert _get(store).version == 5


def test_update_at_a_stale_version_writes_nothing(store: Store) -> None:
    _cart(store)
    _item(store)
    before = _get(store)
    with pytest.raises(PreconditionFailed) as stale:
        store.update_item("acme", "c1", "i1", ItemChanges(quantity=9), NOW, if_match={7})
    assert stale.value.current == 1
    assert _get(store) == before  # neither the item nor the cart's version moved
    done = store.update_item("acme", "c1", "i1", ItemChanges(quantity=9), NOW, if_match={1})
    assert done is not None and (done.quantity, done.version) == (9, 2)
    with pytest.raises(PreconditionFailed) as again:  # the same If-Match a second time: now stale
        store.update_item("acme", "c1", "i1", ItemChanges(quantity=3), NOW, if_match={1})
    assert again.value.current == 2
    assert _get(store).items[0].quantity == 9


def test_any_of_several_versions_matches(store: Store) -> None:
    _cart(store)
    _item(store)
    done = store.update_item("acme", "c1", "i1", ItemChanges(gift_wrap=True), NOW, if_match={5, 1, 3})
    assert done is not None and done.gift_wrap and done.version == 2


def test_delete_item_and_cart_are_conditional(store: Store) -> None:
    _cart(store)
    _item(store)
    with pytest.raises(PreconditionFailed):
        store.delete_item("acme", "c1", "i1", NOW, if_match={2})
    assert len(_get(store).items) == 1
    assert store.delete_item("acme", "c1", "i1", NOW, if_match={1})
    version = _get(store).version
    with pytest.raises(PreconditionFailed) as stale:
        store.delete_cart("acme", "c1", if_match={version - 1})
    assert stale.value.current == version
    assert store.get_cart("acme", "c1") is not None
    assert store.delete_cart("acme", "c1", if_match={version})
    assert store.get_cart("acme", "c1") is None


def test_missing_resources_are_not_found_not_precondition_failures(store: Store) -> None:
    _cart(store)
    assert store.update_item("acme", "c1", "nope", ItemChanges(quantity=2), NOW, if_match={1}) is None
    assert store.delete_item("acme", "c1", "nope", NOW, if_match={1}) is False
    assert store.delete_cart("acme", "nope", if_match={1}) is False
    assert store.delete_cart("globex", "c1", if_match={1}) is False  # another tenant's cart does not exist
    assert _get(store).version == 1


def test_concurrent_read_modify_write_loses_nothing_with_if_match(store: Store) -> None:
    """The reviewer's case: clients that read the quantity and write quantity + 1, 100 increments from 10
    threads at once. Without If-Match increments are lost; with it, a client that read a stale version gets
    PreconditionFailed (412), reads again and retries."""
    _cart(store)
    _item(store, quantity=1)
    errors: list[BaseException] = []
    conflicts = 0
    lock = threading.Lock()

    def increment() -> None:
        nonlocal conflicts
        try:
            for _ in range(10):
                while True:
                    item = _get(store).items[0]
                    changes = ItemChanges(quantity=item.quantity + 1)
                    try:
                        store.update_item("acme", "c1", "i1", changes, NOW, if_match={item.version})
                        break
                    except PreconditionFailed:
                        with lock:
                            conflicts += 1
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=increment) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    item = _get(store).items[0]
    assert item.quantity == 101 and item.version == 101


def test_text_may_hold_nul_on_every_backend(store: Store) -> None:
    """The published schemas allow U+0000 in customer_id and notes; PostgreSQL text cannot hold it, so the
    SQL store keeps those columns as bytea there."""
    cart = CartRecord(
        id="c1",
        tenant="acme",
        customer_id="a\x00b",
        currency="EUR",
        created_at=NOW,
        updated_at=NOW,
        note="x\x00\\0\x00",
        metadata={"k\x00": "v\x00"},
    )
    store.create_cart(cart)
    store.add_item("acme", "c1", ItemRecord(id="i1", sku="MUG01", quantity=1, unit_amount_minor=1, note="\x00"), NOW, 9)
    got = _get(store)
    assert (got.customer_id, got.note, got.metadata) == ("a\x00b", "x\x00\\0\x00", {"k\x00": "v\x00"})
    assert got.items[0].note == "\x00"


def test_etags_and_if_match_parsing() -> None:
    assert etag(7) == '"7"'
    assert parse_if_match("*") is None
    assert parse_if_match('"7"') == {7}
    assert parse_if_match(' "1", "22" ,"3"') == {1, 22, 3}
    assert parse_if_match('W/"7"') == set()  # If-Match compares strongly: a weak tag never matches
    assert parse_if_match('W/"7", "8"') == {8}
    assert parse_if_match('"abc"') == set()  # not one of ours: matches nothing
    assert parse_if_match("7") == set()  # unquoted: malformed, matches nothing
    assert parse_if_match('"7", garbage') == set()
