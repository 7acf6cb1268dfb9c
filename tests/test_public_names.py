"""Every error and warning class a host may catch is importable from the package itself."""

from __future__ import annotations

import inspect

import emulation_rules as er
from emulation_rules import errors


def test_every_error_and_warning_is_exported_from_the_package() -> None:
    classes = {
        name
        for name, obj in vars(errors).items()
        if inspect.isclass(obj)
        and obj.__module__ == errors.__name__
        and issubclass(obj, er.EmulationRulesError | er.EmulationRulesWarning)
    }
    assert classes, "no error classes found"
    missing = sorted(name for name in classes if name not in er.__all__)
    assert not missing, f"not exported from emulation_rules: {missing}"
    for name in classes:
        assert getattr(er, name) is getattr(errors, name)
