"""Typed parts of confirm_upload: what the link and the page's form carry (pydantic).

The link in the confirmation mail is `<function URL>?token=…&file=…&style=…`. Only `token` decides anything
(it is Step Functions' task token, the credential); `file` and `style` are what the page shows and are
escaped there. The form POSTs the same fields back, plus `answer`.
"""
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_TOKEN = 2048  # SendTaskSuccess's limit on taskToken


class ConfirmLink(BaseModel):
    model_config = ConfigDict(extra="ignore")

    token: str = Field(min_length=1, max_length=MAX_TOKEN)
    file: str = Field(default="your GIF", max_length=200)
    style: str = Field(default="the chosen style", max_length=200)


class ConfirmAnswer(ConfirmLink):
    answer: Literal["confirm", "decline"] = "confirm"
