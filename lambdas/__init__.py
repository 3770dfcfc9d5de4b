"""Lambda functions of the GIF pipeline: one package per function (`lambdas.<name>.app.handler`), `shared` for the rest."""
