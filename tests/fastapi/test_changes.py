"""Change sets: composed once into per-version conversions, found by convention, refused when incomplete."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from contractkit._loading import change_set_module, change_set_source
from contractkit.fastapi import ChangeSetError, ConversionContext, Conversions, VersionChange, load_changes
from contractkit.registry import Version


def _v(name: str, successor: str | None = None) -> Version:
    return Version(name=name, status="stable", released=dt.date(2026, 1, 1), successor=successor)


V123 = (_v("v1", "v2"), _v("v2", "v3"), _v("v3"))


def test_an_undeclared_step_is_refused() -> None:
    with pytest.raises(ChangeSetError, match="no version changes declared from v1"):
        Conversions.build((_v("v1", "v2"), _v("v2")), {})
    with pytest.raises(ChangeSetError, match="unknown versions"):
        Conversions.build((_v("v1", "v2"), _v("v2")), {"v1": (), "v9": ()})


def test_changes_compose_across_several_steps_in_order() -> None:
    trail: list[str] = []

    def up(tag: str) -> Any:
        def fn(body: dict[str, Any], ctx: Any) -> dict[str, Any]:
            trail.append(tag)
            return {**body, "seen": [*body.get("seen", []), tag]}

        return fn

    def down(tag: str) -> Any:
        def fn(body: dict[str, Any]) -> dict[str, Any]:
            trail.append(tag)
            return {**body, "seen": [*body.get("seen", []), tag]}

        return fn

    changes = {
        "v1": (VersionChange("a", upgrade={"x": up("1->2")}, downgrade={"y": down("2->1")}),),
        "v2": (VersionChange("b", upgrade={"x": up("2->3")}, downgrade={"y": down("3->2")}),),
    }
    conv = Conversions.build(V123, changes)
    ctx = ConversionContext()
    assert conv.upgrade("v1", "x", {}, ctx) == {"seen": ["1->2", "2->3"]}
    assert conv.upgrade("v2", "x", {}, ctx) == {"seen": ["2->3"]}
    assert conv.upgrade("v3", "x", {}, ctx) == {}
    assert conv.downgrade("v1", "y", {}) == {"seen": ["3->2", "2->1"]}
    # between two older versions: only the steps in between
    assert conv.upgrade("v1", "x", {}, ctx, to="v2") == {"seen": ["1->2"]}
    assert conv.downgrade("v1", "y", {}, source="v2") == {"seen": ["2->1"]}
    with pytest.raises(ValueError, match="no conversion path from v2 to v1"):
        conv.upgrade("v2", "x", {}, ctx, to="v1")


def test_the_context_loads_each_fact_lazily_once_per_request() -> None:
    calls: list[str] = []

    def currency(call: Any) -> str:
        calls.append(call)
        return "GBP"

    for kind in (ConversionContext, ConversionContext.with_loaders({"cart_currency": currency})):
        calls.clear()
        ctx = kind({"cart_currency": currency}, "the call")  # type: ignore[arg-type]
        assert calls == []
        assert ctx.cart_currency == "GBP" and ctx.cart_currency == "GBP"
        assert calls == ["the call"]
    assert ConversionContext(cart_currency="USD").cart_currency == "USD"
    with pytest.raises(AttributeError, match=r"no 'region' .*known: cart_currency"):
        _ = ctx.region


def test_the_module_name_of_a_step() -> None:
    assert change_set_module("v1") == "from_v1"
    assert change_set_module("2024-01-01") == "from_2024_01_01"
    assert change_set_module("v2.1-beta") == "from_v2_1_beta"


@pytest.fixture
def package(tmp_path: Path) -> Iterator[Path]:
    """An importable, uniquely named change-set package in tmp_path."""
    name = f"changes_{tmp_path.name.replace('-', '_')}"
    root = tmp_path / name
    root.mkdir()
    (root / "__init__.py").write_text("")
    sys.path.insert(0, str(tmp_path))
    try:
        yield root
    finally:
        sys.path.remove(str(tmp_path))
        for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            del sys.modules[key]


def test_the_scaffolded_change_set_is_a_valid_empty_step(package: Path) -> None:
    (package / "from_v1.py").write_text(change_set_source("v1", "v2"))
    (package / "from_v2.py").write_text(change_set_source("v2", "v3"))
    sets = load_changes(package.name, V123)
    assert sets == {"v1": (), "v2": ()}
    assert Conversions.build(V123, sets).requests == {"v1": {}, "v2": {}, "v3": {}}


def test_a_missing_step_names_the_module_to_create(package: Path) -> None:
    (package / "from_v1.py").write_text(change_set_source("v1", "v2"))
    with pytest.raises(ChangeSetError) as missing:
        load_changes(package.name, V123)
    assert str(missing.value) == (
        f"no change set from v2 to v3: create {package / 'from_v2.py'} defining CHANGES = (...) "
        "(an empty tuple declares no changes)"
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("X = 1\n", "defines no CHANGES"),
        ("CHANGES = 'abc'\n", "CHANGES must be a sequence of VersionChange, got str"),
        ("CHANGES = (1,)\n", "1 is not a VersionChange"),
        ("raise RuntimeError('boom')\n", "could not import .*from_v1.*RuntimeError: boom"),
    ],
)
def test_a_malformed_step_is_one_line(package: Path, source: str, message: str) -> None:
    (package / "from_v1.py").write_text(source)
    with pytest.raises(ChangeSetError, match=message):
        load_changes(package.name, (_v("v1", "v2"), _v("v2")))


def test_a_missing_package_says_which_setting(tmp_path: Path) -> None:
    with pytest.raises(ChangeSetError, match=r"'no_such_changes_pkg' cannot be found.*\[tool.contractkit\] changes"):
        load_changes("no_such_changes_pkg", V123)


def test_an_explicit_mapping_in_one_file(package: Path) -> None:
    (package / "all.py").write_text(
        "from contractkit.fastapi import VersionChange\nCHANGES = {'v1': (VersionChange('a'),), 'v2': ()}\n"
    )
    sets = load_changes(f"{package.name}.all:CHANGES", V123)
    assert [c.description for c in sets["v1"]] == ["a"] and sets["v2"] == ()
