"""The cart total a response can show is bounded (the money schema's maximum): the store checks it inside the
write, under the cart's lock, so concurrent adds cannot push a cart over it together (MemoryStore, SqlStore on
SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest

from service.store import CartFull, CartRecord, ItemChanges, ItemRecord, Store, TotalTooLarge

NOW = "2026-11-30T12:00:00.000000Z"
MAX = 1000


def _cart(store: Store) -> None:
    store.create_cart(
        CartRecord(id="c1", tenant="acme", customer_id="cus_1", currency="EUR", created_at=NOW, updated_at=NOW)
    )


def _item(item_id: str, quantity: int, price: int) -> ItemRecord:
    return ItemRecord(id=item_id, sku="MUG01", quantity=quantity, unit_amount_minor=price)


def _total(store: Store) -> tuple[int, int]:
    cart = store.get_cart("acme", "c1")
    assert cart is not None
    return sum(i.quantity * i.unit_amount_minor for i in cart.items), cart.version


def test_an_add_over_the_total_writes_nothing(store: Store) -> None:
    _cart(store)
    assert store.add_item("acme", "c1", _item("a", 3, 200), NOW, 100, max_total=MAX)
    assert store.add_item("acme", "c1", _item("b", 1, 400), NOW, 100, max_total=MAX)  # exactly the maximum
    before = _total(store)
    assert before[0] == MAX
    with pytest.raises(TotalTooLarge):
        store.add_item("acme", "c1", _item("c", 1, 1), NOW, 100, max_total=MAX)
    assert _total(store) == before  # neither the line nor the version bump was kept
    with pytest.raises(CartFull):  # the line limit still says which limit it is
        store.add_item("acme", "c1", _item("d", 1, 1), NOW, 2, max_total=MAX)
    assert store.add_item("acme", "c1", _item("e", 1, 1), NOW, 100)  # no max_total: no check


def test_an_update_over_the_total_writes_nothing(store: Store) -> None:
    _cart(store)
    assert store.add_item("acme", "c1", _item("a", 1, 300), NOW, 100, max_total=MAX)
    assert store.add_item("acme", "c1", _item("b", 1, 300), NOW, 100, max_total=MAX)
    updated = store.update_item("acme", "c1", "a", ItemChanges(quantity=2), NOW, max_total=MAX)
    assert updated is not None and updated.quantity == 2
    before = _total(store)
    with pytest.raises(TotalTooLarge):
        store.update_item("acme", "c1", "b", ItemChanges(quantity=2), NOW, max_total=MAX)
    assert _total(store) == before
    cart = store.get_cart("acme", "c1")
    assert cart is not None and [i.version for i in cart.items] == [2, 1]
    # a change that leaves the quantity alone is never refused for the total
    assert store.update_item("acme", "c1", "b", ItemChanges(gift_wrap=True), NOW, max_total=0) is not None


def test_concurrent_adds_never_pass_the_total_together(store: Store) -> None:
    """Ten adds of 300 against a maximum of 1000 at once: exactly three are written, the rest refused."""
    _cart(store)
    outcomes: list[str] = []

    def add(n: int) -> None:
        try:
            store.add_item("acme", "c1", _item(f"i{n}", 1, 300), NOW, 100, max_total=MAX)
            outcomes.append("added")
        except TotalTooLarge:
            outcomes.append("refused")
        except Exception as exc:  # SQLite busy past its timeout would be a 503, not a wrong total
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["added"] * 3 + ["refused"] * 7
    assert _total(store)[0] == 900
