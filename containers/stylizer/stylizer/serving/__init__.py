"""SageMaker hosting (asynchronous inference) for photos: `GET /ping`, `POST /invocations` on port 8080.

model.py loads VGG19 once per container, input.py parses and validates a request, predict.py runs the
stylisation, output.py encodes the image, progress.py writes live status/preview objects to S3 and app.py
wires them into a WSGI app. `stylizer.serve` runs that app under gunicorn.
"""
