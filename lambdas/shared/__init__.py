"""Code the Lambda functions share: naming, observability, typed task models, e-mail address checks.

A function's deployment zip holds `lambdas/__init__.py`, `lambdas/shared/` and its own folder, nothing else.
"""
