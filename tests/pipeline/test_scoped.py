from contextvars import ContextVar

import pytest

from pipeline.scoped import scoped

setting: ContextVar[str] = ContextVar("test_setting", default="outside")


def test_the_value_holds_in_the_block_and_the_previous_one_after_it() -> None:
    with scoped(setting, "outer"):
        with scoped(setting, "inner"):
            assert setting.get() == "inner"
        assert setting.get() == "outer"
    assert setting.get() == "outside"


def test_an_exception_in_the_block_restores_the_previous_value() -> None:
    with pytest.raises(RuntimeError), scoped(setting, "inside"):
        raise RuntimeError("extraction failed")
    assert setting.get() == "outside"
