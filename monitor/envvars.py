"""Settings read from environment variables, with pydantic-settings.

A settings class names its variables by `env_prefix` plus the field name, or by a field's `validation_alias`.
A blank value means the default; a bad one is a ValueError that names the variable, on one line (the CLI
prints it as `configuration error: ...`). Secrets are `SecretStr`: repr() shows '**********' and errors never
echo them.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import ValidationError, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)


class EnvSettings(BaseSettings):
    """Base of the settings classes. `from_env()` reads the environment; built in code (tests, library callers)
    a class takes only the values given and its defaults, so nothing comes from the environment by surprise."""

    model_config = SettingsConfigDict(frozen=True, str_strip_whitespace=True, validate_by_name=True)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)

    @model_validator(mode="before")
    @classmethod
    def _blank_means_default(cls, values: Any) -> Any:
        if isinstance(values, dict):
            return {k: v for k, v in values.items() if not (isinstance(v, str) and not v.strip())}
        return values

    @classmethod
    def from_env(cls) -> Self:
        """The settings from `os.environ`; ValueError naming each bad variable."""
        values = EnvSettingsSource(cls)()
        try:
            return cls(**values)
        except ValidationError as exc:
            raise ValueError("; ".join(_problem(cls, error, values) for error in exc.errors())) from None


def _problem(cls: type[BaseSettings], error: ErrorDetails, values: dict[str, Any]) -> str:
    message = error["msg"].removeprefix("Value error, ")
    if not error["loc"]:
        return message  # a check across fields: its message names the variables
    key = str(error["loc"][0])  # a field's name, or its alias, which is the variable's whole name
    variable = (cls.model_config.get("env_prefix", "") + key).upper() if key in cls.model_fields else key
    # The variable's own text, not what a validator made of it, and only with pydantic's type and range errors:
    # our validators word their own messages, and a SecretStr takes any text, so a secret is never echoed.
    shown = key in values and error["type"] != "value_error"
    got = f" (got {values[key]!r})" if shown else ""
    return f"{variable}: {message[:1].lower()}{message[1:]}{got}"
