"""The whole GIF pipeline on one machine: moto in server mode plus a small extension layer.

`server.LocalMotoServer` runs moto in this process with the extensions installed; `stack.LocalStack` stands
the pipeline up on it (buckets, Lambdas, state machine from the committed ASL). The extension layer lives in
`pipeline.local.extensions`, one module per patched area of moto, each undone when the server stops.
"""
