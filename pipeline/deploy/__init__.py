"""Deploying the pipeline to AWS with CloudFormation (see docs/deploy.md).

`template.build()` returns the stack's template as a dict (the state machine is the committed
state_machines/gif_pipeline.asl.json with its `${...}` placeholders filled by DefinitionSubstitutions);
`package` zips the Lambdas, `stack` drives CloudFormation, `site` publishes the page, `image` the container,
`replay` feeds dead-lettered upload events back (`nst replay`). `accepted_findings` holds the checkov findings
accepted by design, with reasons, written into the template's Metadata.
Nothing here imports boto3 at module import time except `stack` and `site`, which need it.
"""
