"""Typed request and response of paint_request (pydantic, parsed with Powertools' parser).

The page POSTs {"content": key, "style": name-or-key, "options": {...}} to the function URL; keys are object
keys in the images bucket under the caller's own prefix, never s3:// URIs (the bucket is not the caller's
to choose).
"""
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class PaintBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: str = Field(min_length=1, max_length=1024, description="key of the photo under the caller's prefix")
    style: str = Field(min_length=1, max_length=1024,
                       description="a catalogue name, or the key of the caller's own style image")
    options: dict[str, Any] = Field(default_factory=dict,
                                    description="size, iterations, preserve_colors, ... (the endpoint's options)")


class ProgressUrls(BaseModel):
    status: str = Field(description="presigned GET of <progress>/status.json")
    preview: str = Field(description="presigned GET of <progress>/preview.jpg")
    prefix: str = Field(description="the caller's progress prefix (readable with the identity's own policy)")


class ResultUrls(BaseModel):
    url: str = Field(description="presigned GET of the endpoint's OutputLocation (the PNG, once done)")
    failure_url: str = Field(description="presigned GET of the FailureLocation (the error JSON, if it failed)")
    output_location: str
    failure_location: str


class PaintAccepted(BaseModel):
    request_id: str
    progress: ProgressUrls
    result: ResultUrls
    expires_in: int = Field(description="seconds the URLs stay valid")
