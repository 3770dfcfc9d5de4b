"""The input rules the Lambdas share with the container: limits, the GIF header scan, the style catalogue
(names and credits, not the paintings' pixels), the endpoint's option parsing and the shape a picture is
painted at (geometry: validate_upload's estimate grows with it).

Pure on purpose: these modules import the standard library and each other, nothing else, not even lazily
inside a function (tests/deploy/test_deploy_rules.py walks every import). The Lambda zip holds this package
and no other stylizer module (pipeline/deploy/package.py refuses to build otherwise), so no function in the
zip can reach numpy, PIL or TensorFlow and fail there.
"""
