"""Typed inputs of the Lambda tasks (pydantic, parsed with Powertools' parser) and the execution input.

The execution input is what `start_execution` sends and what every later state finds at `$`; the task
models mirror the `Payload` blocks in state_machines/gif_pipeline.asl.json.
"""
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

TEMPLATES = ("received", "confirm", "completed", "invalid_input", "no_capacity", "failed")


class JobSettings(BaseModel):
    size: int = Field(description="longest side of the stylised frames, pixels")
    iterations: int = Field(description="optimiser iterations for the first frame")


class ConfirmSettings(BaseModel):
    """Whether the uploader must confirm by the link in the first mail before anything is painted."""

    required: bool = True
    timeout_seconds: int = Field(default=86400, ge=1, description="how long the link works; then NotConfirmed")
    url: str = Field(default="", description="the confirm_upload function URL the link points at")


class ExecutionInput(BaseModel):
    """The state machine's input (JSON-plain: strings and numbers only)."""

    bucket: str
    key: str
    etag: str
    size: int = Field(description="bytes, from the S3 event")
    instance_types: list[str] = Field(min_length=1)
    settings: JobSettings
    received_at: str = Field(description="ISO 8601 time of the S3 event")
    confirm: ConfirmSettings = Field(default_factory=ConfirmSettings)


class ValidateRequest(BaseModel):
    execution: str
    bucket: str
    key: str
    instance_types: list[str] = Field(min_length=1)
    settings: JobSettings


class SendEmailRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    template: Literal["received", "confirm", "completed", "invalid_input", "no_capacity", "failed"]
    to: str | None = Field(default=None, description="no address (invalid upload): nothing is sent")
    execution: str
    context: dict[str, Any] = Field(default_factory=dict)


class PublishRequest(BaseModel):
    execution: str
    job_name: str
    frames: int = Field(ge=1)
    instance_type: str
    file: str | None = None  # the uploader's file name: the download is named after it and the style
    style: str | None = None
    style_title: str | None = None


class TaskError(BaseModel):
    """What a Catch writes at its ResultPath."""

    Error: str
    Cause: str | None = None


class ExplainRequest(BaseModel):
    execution: str
    bucket: str
    key: str
    error: TaskError
