"""Column types the models share beyond SQLAlchemy's own."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

WEIGHT_PRECISION = 15
WEIGHT_SCALE = 6


def exact_decimal(value: Any) -> Decimal:
    """A weight as the exact decimal it stands for: a float as the shortest decimal that prints
    it (what was typed), whole numbers without a fraction part.

    >>> exact_decimal(0.15), exact_decimal(2500.0), exact_decimal(Decimal("1.500000"))
    (Decimal('0.15'), Decimal('2500'), Decimal('1.5'))
    """
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"a weight must be a finite number, not {value!r}")
        value = Decimal(repr(value))
    d = Decimal(value) if not isinstance(value, Decimal) else value
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d.normalize()


class ExactWeight(TypeDecorator):
    """A ballot weight kept exactly, read back as a :class:`~decimal.Decimal`.

    PostgreSQL stores ``NUMERIC(15, 6)``. SQLite's NUMERIC would be a binary float, so there
    it is the decimal's text. A weight with more than six decimal places, or too large for
    the column, is refused rather than rounded.
    """

    impl = Numeric(WEIGHT_PRECISION, WEIGHT_SCALE)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(32))
        return dialect.type_descriptor(Numeric(WEIGHT_PRECISION, WEIGHT_SCALE, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        d = exact_decimal(value)
        exponent = d.as_tuple().exponent
        digits = len(d.as_tuple().digits)
        whole_digits = digits + exponent if isinstance(exponent, int) else digits
        if isinstance(exponent, int) and exponent < -WEIGHT_SCALE:
            raise ValueError(f"a weight may have at most {WEIGHT_SCALE} decimal places: {d}")
        if whole_digits > WEIGHT_PRECISION - WEIGHT_SCALE:
            raise ValueError(f"a weight must be below 10**{WEIGHT_PRECISION - WEIGHT_SCALE}: {d}")
        return str(d) if dialect.name == "sqlite" else d

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return exact_decimal(Decimal(str(value)))

    @property
    def python_type(self) -> type:
        return Decimal
