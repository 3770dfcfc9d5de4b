"""Powertools Logger/Tracer/Metrics built the same way in every function.

Metrics go to the EMF namespace "NeuralStyle". The Tracer is inert when POWERTOOLS_TRACE_DISABLED is set
(tests, the local runtime) so nothing needs X-Ray.
"""
import os

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric

NAMESPACE = "NeuralStyle"

__all__ = ["NAMESPACE", "MetricUnit", "build", "count_rejection"]


def build(service: str) -> tuple[Logger, Tracer, Metrics]:
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", NAMESPACE)
    return Logger(service=service), Tracer(service=service), Metrics(namespace=NAMESPACE, service=service)


def count_rejection(reason: str) -> None:
    """One `Rejections` data point with a `reason` dimension (its own EMF blob: dimensions differ per reason)."""
    with single_metric(name="Rejections", unit=MetricUnit.Count, value=1, namespace=NAMESPACE) as metric:
        metric.add_dimension(name="reason", value=reason)
